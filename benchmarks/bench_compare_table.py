"""Wall time of ``compare`` with the default panel on a clinical-lab-sized table.

The table is generated (fixed seed) in the shape of a real lab table: 15,223
tests from 12,301 patients (some patients have several tests), 11 columns, 5 of
them text (sex, clinic with ~20 levels including rare ones, order set with ~50
levels in a long tail, specimen type, ward) and 6 numeric (age and five lab
values with realistic skew: CRP, white cells, creatinine and lactate
right-skewed, haemoglobin left-skewed), about 13,950 missing cells spread over
the columns (lactate, CRP and creatinine most often). 5.7% of the tests are
positive; the label is per test (a patient's tests can disagree) and follows a
logistic model of a few lab values, the ward, the specimen, some clinics and
order sets, two interactions and a per-patient random effect, so the models
have real signal and no column gives the label away.

``compare(None, df, y, groups=patient, cv=3, inner_cv=2, n_iter=4)`` runs the
default tabular panel (LogisticRegression, RandomForest, HistGradientBoosting,
KNeighbors, GaussianNB, SVM, MLPNet): each candidate makes, per outer fold,
``n_configurations x 2`` inner fits and 1 refit. The script prints the wall
time, the fits (per candidate and in all), fits per second, every candidate's
mean seconds per outer-fold search (``result.fit_time``) and per fit, the
summary table, and how good ``compare``'s own time estimate was: with
``verbose=1`` it writes, after each outer fold, "compare: outer fold k of K
done, E s so far; about L s left"; the estimate after fold 1, E + L, is set
against the real time of the fold loop (the ratio is free of machine drift:
both come from this run). CPU time used by other processes during the run is
printed too, since a shared machine inflates every figure.

Targets (issue 15): the whole run within 10 minutes on a 2-core machine; the
estimate after the first fold within 2x of the real time.

Run: ``.venv/bin/python benchmarks/bench_compare_table.py`` (``--n-rows 3000``
for a quick smaller run; ``--help`` for options).
"""

import argparse
import contextlib
import io
import os
import platform
import re
import resource
import sys
import time

import numpy as np
import pandas as pd
import sklearn
import torch

import skdl
from skdl.comparison import compare

N_ROWS, N_PATIENTS, N_MISSING, PREVALENCE = 15223, 12301, 13950, 0.057
CV, INNER_CV, N_ITER = 3, 2, 4
TIME_TARGET_S, ESTIMATE_TARGET = 600.0, 2.0
ESTIMATE_LINE = re.compile(
    r"compare: outer fold (\d+) of (\d+) done, (\d+) s so far; about (\d+) s left"
)

CLINICS = [
    "Internal Medicine",
    "Emergency",
    "General Surgery",
    "Cardiology",
    "Oncology",
    "Nephrology",
    "Pulmonology",
    "Orthopaedics",
    "Gastroenterology",
    "Neurology",
    "Urology",
    "Obstetrics",
    "Haematology",
    "Infectious Diseases",
    "Paediatrics",
    "Geriatrics",
    "Dermatology",
    "Transplant",
    "Burns Unit",
    "Toxicology",
]
SPECIMENS = ["Blood", "Urine", "Swab", "Sputum", "Stool", "CSF", "Tissue"]
WARDS = ["Outpatient", "Inpatient", "Emergency Dept", "ICU", "Day Unit"]


class Tee(io.TextIOBase):
    """Write to a StringIO and to the real stream at once."""

    def __init__(self, stream):
        self.stream, self.captured = stream, io.StringIO()

    def write(self, text):
        self.captured.write(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def long_tail(n_levels, exponent, n_rare):
    """Zipf-like level probabilities whose last ``n_rare`` levels are 10x rarer."""
    weights = 1.0 / np.arange(1, n_levels + 1) ** exponent
    weights[n_levels - n_rare :] /= 10
    return weights / weights.sum()


def standardized(values):
    return (values - values.mean()) / values.std()


def make_table(n_rows, seed=0):
    """Return ``(table, y, patient)``: a lab table shaped like the real one."""
    rng = np.random.default_rng(seed)
    n_patients = round(n_rows * N_PATIENTS / N_ROWS)
    # Every patient has one test; the extra tests go to patients in proportion
    # to a skewed "frequent attender" weight, so a few patients have many.
    attendance = rng.lognormal(0.0, 1.0, n_patients)
    extra = rng.choice(n_patients, n_rows - n_patients, p=attendance / attendance.sum())
    patient = np.sort(np.concatenate([np.arange(n_patients), extra]))
    rng.shuffle(patient)

    # Per patient: sex, age, kidney function, baseline haemoglobin, frailty.
    sex_p = rng.choice(np.array(["F", "M"]), n_patients, p=[0.52, 0.48])
    child = rng.random(n_patients) < 0.05
    age_p = np.where(
        child, rng.uniform(0, 18, n_patients), 18 + 80 * rng.beta(2.4, 1.6, n_patients)
    ).round()
    kidney_p = rng.normal(0.0, 0.35, n_patients) + 0.006 * (age_p - 50)
    hb_p = rng.normal(0.0, 1.0, n_patients)
    frailty_p = rng.normal(0.0, 0.6, n_patients)
    sex, age = sex_p[patient], age_p[patient]

    # Per test: where it was ordered and what was sent.
    ward = rng.choice(np.array(WARDS), n_rows, p=[0.38, 0.33, 0.17, 0.07, 0.05])
    clinic = rng.choice(np.array(CLINICS), n_rows, p=long_tail(20, 1.2, 4))
    emergency = ward == "Emergency Dept"
    clinic[emergency & (rng.random(n_rows) < 0.7)] = "Emergency"
    order_names = np.array([f"OS-{k:03d}" for k in range(1, 51)])
    order_set = rng.choice(order_names, n_rows, p=long_tail(50, 1.1, 15))
    specimen = rng.choice(
        np.array(SPECIMENS), n_rows, p=[0.46, 0.27, 0.12, 0.07, 0.05, 0.015, 0.015]
    )
    acute = np.isin(ward, ["ICU", "Emergency Dept"]).astype(float)

    # Lab values: log-normal where the real ones are right-skewed.
    inflammation = rng.normal(0.0, 1.0, n_rows) + 0.8 * acute
    # The label is drawn from the exact values, the table holds rounded ones.
    log_crp = 1.6 + 1.1 * inflammation + rng.normal(0, 0.4, n_rows)
    log_wbc = 2.0 + 0.25 * inflammation + rng.normal(0, 0.3, n_rows)
    log_creatinine = 4.4 + kidney_p[patient] + rng.normal(0, 0.15, n_rows)
    log_lactate = 0.2 + 0.35 * inflammation + rng.normal(0, 0.35, n_rows)
    haemoglobin = np.maximum(
        140 - 6 * (sex == "F") + 12 * hb_p[patient] - 10 * rng.gamma(1.2, 1.0, n_rows),
        45,
    )

    # The label: logistic in a few columns, with two interactions.
    elderly = (age >= 70).astype(float)
    eta = (
        0.9 * standardized(log_crp)
        + 0.5 * standardized(log_wbc)
        + 0.6 * standardized(log_lactate) * acute
        + 0.4 * standardized(log_creatinine)
        - 0.3 * standardized(haemoglobin)
        + 0.5 * elderly * standardized(log_crp)
        + 0.9 * (ward == "ICU")
        + 0.4 * emergency
        + 0.7 * (specimen == "Blood")
        + 1.0 * (specimen == "CSF")
        + 0.4 * (specimen == "Urine") * (sex == "F")
        + 0.8 * np.isin(clinic, ["Haematology", "Transplant", "Oncology"])
        + 0.6 * np.isin(order_set, ["OS-002", "OS-007", "OS-031"])
        + frailty_p[patient]
    )
    # y = 1 where eta + logistic noise is among the top PREVALENCE of tests:
    # a logistic model whose intercept gives exactly that prevalence.
    latent = eta + rng.logistic(0.0, 1.0, n_rows)
    n_positive = round(PREVALENCE * n_rows)
    y = np.zeros(n_rows, dtype=np.int64)
    y[np.argsort(-latent)[:n_positive]] = 1

    table = pd.DataFrame(
        {
            "sex": sex.astype(object),
            "age": age,
            "clinic": clinic.astype(object),
            "order_set": order_set.astype(object),
            "specimen_type": specimen.astype(object),
            "ward": ward.astype(object),
            "crp_mg_l": np.exp(log_crp).round(1),
            "wbc_10e9_l": np.exp(log_wbc).round(1),
            "creatinine_umol_l": np.exp(log_creatinine).round(),
            "lactate_mmol_l": np.exp(log_lactate).round(1),
            "haemoglobin_g_l": haemoglobin.round(),
        }
    )
    # Missing cells: a share of the total per column; lactate is mostly
    # measured in acute wards, so it is missing elsewhere more often.
    shares = {
        "sex": 0.005,
        "age": 0.003,
        "clinic": 0.022,
        "order_set": 0.011,
        "specimen_type": 0.041,
        "ward": 0.065,
        "crp_mg_l": 0.153,
        "wbc_10e9_l": 0.065,
        "creatinine_umol_l": 0.087,
        "lactate_mmol_l": 0.491,
        "haemoglobin_g_l": 0.057,
    }
    total = round(N_MISSING * n_rows / N_ROWS)
    lactate_weight = np.where(acute > 0, 0.25, 1.0)
    for column, share in shares.items():
        k = round(total * share / sum(shares.values()))
        weight = lactate_weight if column == "lactate_mmol_l" else np.ones(n_rows)
        rows = rng.choice(n_rows, k, replace=False, p=weight / weight.sum())
        table.loc[rows, column] = np.nan
    return table, y, patient


def other_cpu_seconds():
    """Return busy CPU-seconds of the whole machine (Linux), or None."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF,)]
    usage.append(resource.getrusage(resource.RUSAGE_CHILDREN))
    return sum(u.ru_utime + u.ru_stime for u in usage)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=N_ROWS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    table, y, patient = make_table(args.n_rows, args.seed)
    n_missing = int(table.isna().sum().sum())
    multi = np.bincount(patient)
    mixed = sum(
        len(set(y[patient == p])) > 1 for p in np.flatnonzero(multi > 1)
    )  # patients whose tests disagree
    print(
        f"skdl {skdl.__version__}, sklearn {sklearn.__version__}, torch "
        f"{torch.__version__}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}"
    )
    print(
        f"table: {len(table)} tests x {table.shape[1]} columns from "
        f"{len(np.unique(patient))} patients ({int((multi > 1).sum())} with "
        f"several tests, {mixed} of them with mixed labels, at most "
        f"{multi.max()}); {n_missing} missing cells; {y.mean():.1%} positive; "
        f"levels: "
        + ", ".join(
            f"{c} {table[c].nunique()}"
            for c in table.columns
            if not pd.api.types.is_numeric_dtype(table[c])
        )
    )
    print(f"compare: cv={CV}, inner_cv={INNER_CV}, n_iter={N_ITER}, default panel")

    load_before = os.getloadavg()
    busy_before, own_before = other_cpu_seconds(), own_cpu_seconds()
    tee = Tee(sys.stderr)
    start = time.perf_counter()
    with contextlib.redirect_stderr(tee):
        result = compare(
            None,
            table,
            y,
            groups=patient,
            cv=CV,
            inner_cv=INNER_CV,
            n_iter=N_ITER,
            random_state=0,
            verbose=1,
        )
    wall = time.perf_counter() - start
    busy_after, own_after = other_cpu_seconds(), own_cpu_seconds()
    load_after = os.getloadavg()

    fits = {
        name: sum(k * INNER_CV + 1 for k in result.n_configurations[name])
        for name in result.names
    }
    n_fits = sum(fits.values())
    search_s = {name: float(np.sum(result.fit_time[name])) for name in result.names}
    print()
    print(result.summary())
    print()
    # result.fit_time holds one whole search (inner fits and refit) per outer
    # fold; "s per fit" divides the searches' time by their fits.
    print(
        f"{'candidate':>22}  {'fits':>4}  {'s per search':>12}  "
        f"{'each outer fold':>17}  {'s per fit':>9}  {'share of time':>13}"
    )
    for name in sorted(result.names, key=search_s.get, reverse=True):
        folds = "/".join(f"{t:.0f}" for t in result.fit_time[name])
        print(
            f"{name:>22}  {fits[name]:>4}  {np.mean(result.fit_time[name]):>12.1f}  "
            f"{folds:>17}  {search_s[name] / fits[name]:>9.2f}  "
            f"{search_s[name] / wall:>13.0%}"
        )
    slowest = max(search_s, key=search_s.get)
    print(
        f"total: {wall:.0f} s wall ({wall / 60:.1f} min; target <= "
        f"{TIME_TARGET_S / 60:.0f} min: {'met' if wall <= TIME_TARGET_S else 'MISSED'}"
        f"), {n_fits} fits, {n_fits / wall:.2f} fits/s; searches "
        f"{sum(search_s.values()):.0f} s, the rest (screening, scoring, tests) "
        f"{wall - sum(search_s.values()):.0f} s; slowest candidate: {slowest} "
        f"({search_s[slowest] / wall:.0%} of the time)"
    )
    if wall > TIME_TARGET_S:
        over = wall - TIME_TARGET_S
        print(
            f"over the target by {over:.0f} s; without {slowest} the run would "
            f"take about {wall - search_s[slowest]:.0f} s"
        )

    lines = ESTIMATE_LINE.findall(tee.captured.getvalue())
    if lines:
        k, n_folds, so_far, left = (int(v) for v in lines[0])
        estimate = so_far + left
        # The estimate covers the outer-fold loop; compare's own set-up (column
        # screen, folds) and result (tests) come on top, so the loop's real time
        # is the sum of the searches and the scoring, bounded by the wall time.
        last_k, _, last_so_far, _ = (int(v) for v in lines[-1])
        print(
            f"estimate after outer fold {k} of {n_folds}: {so_far} s so far + "
            f"{left} s left = {estimate} s; real fold loop {last_so_far} s "
            f"(whole call {wall:.0f} s): real / estimate = "
            f"{last_so_far / estimate:.2f} (call: {wall / estimate:.2f}; target "
            f"within {ESTIMATE_TARGET:.0f}x)"
        )
        for fold_k, _, fold_so_far, fold_left in lines[1:]:
            print(
                f"  after fold {fold_k}: {fold_so_far} s + {fold_left} s = "
                f"{int(fold_so_far) + int(fold_left)} s"
            )
    else:
        print("no 'compare: outer fold ... done' line on stderr: estimate not checked")

    if busy_before is not None and busy_after is not None:
        others = (busy_after - busy_before) - (own_after - own_before)
        print(
            f"contention: this process used {own_after - own_before:.0f} CPU-s, "
            f"other processes {max(others, 0):.0f} CPU-s "
            f"({max(others, 0) / wall:.2f} of {os.cpu_count()} cores on average); "
            f"load average (1 min) {load_before[0]:.2f} before, "
            f"{load_after[0]:.2f} after"
        )
    else:
        print(
            f"load average (1 min): {load_before[0]:.2f} before, "
            f"{load_after[0]:.2f} after"
        )


if __name__ == "__main__":
    main()
