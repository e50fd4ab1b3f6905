#!/usr/bin/python3
"""Golden values for shared/agreement.ts and shared/f-distribution.ts from
independent implementations, for test/shared/agreement.test.ts.

    /usr/bin/python3 scripts/agreement-golden.py cases.json

cases.json: {"icc": [[[a, b], ...], ...], "kappa": [[[bool, bool], ...], ...],
"f1": [{"paired", "onlyFirst", "onlySecond"}, ...], "proportion":
[{"successes", "total"}, ...], "fQuantile": [{"p", "numerator",
"denominator"}, ...], "fDistribution": [{"f", "numerator", "denominator"},
...]}. Prints the same keys, each case as {"value", "low",
"high"}; kappa also "psychValue". null where the reference gives NaN, NA,
an infinity or an error.

- ICC: R psych::ICC, ICC2 (scripts/agreement-golden.R).
- kappa: value from scikit-learn's cohen_kappa_score; interval (and psych's
  own value) from R psych::cohen.kappa.
- F1: value from scikit-learn's f1_score, reader 1 as reference; interval
  statsmodels' Wilson interval for paired / (paired + onlyFirst +
  onlySecond), mapped by 2J / (1 + J).
- proportion: R prop.test(x, n, correct = FALSE).
- fQuantile, fDistribution: R qf, pf.
Uses the Debian packages python3-sklearn, python3-statsmodels, r-base-core
and r-cran-psych: run with /usr/bin/python3 (a pyenv python lacks them).
"""
import json
import math
import os
import subprocess
import sys
import warnings

from sklearn.metrics import cohen_kappa_score, f1_score
from statsmodels.stats.proportion import proportion_confint

RSCRIPT = "/usr/bin/Rscript"
R_HALF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agreement-golden.R")


def finite(number):
    return number if number is not None and math.isfinite(number) else None


def estimate(value, low=None, high=None):
    return {"value": finite(value), "low": finite(low), "high": finite(high)}


def run_r(lines):
    """One Rscript for every case: a line each way."""
    if not lines:
        return []
    output = subprocess.run([RSCRIPT, R_HALF], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    # R prints NA where a method failed; float() reads NaN and Inf itself.
    return [[float(word) if word != "NA" else None for word in row.split()] for row in output.splitlines()]


def kappa_value(pairs):
    first = [int(a) for a, _ in pairs]
    second = [int(b) for _, b in pairs]
    return float(cohen_kappa_score(first, second))


def f1(case):
    paired, only_first, only_second = case["paired"], case["onlyFirst"], case["onlySecond"]
    reference = [1] * paired + [1] * only_first + [0] * only_second
    other = [1] * paired + [0] * only_first + [1] * only_second
    value = float(f1_score(reference, other))
    lesions = paired + only_first + only_second
    if lesions == 0:
        return estimate(value)
    low, high = (2 * j / (1 + j) for j in proportion_confint(paired, lesions, alpha=0.05, method="wilson"))
    return estimate(value, low, high)


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        cases = json.load(file)
    icc_cases, kappa_cases = cases.get("icc", []), cases.get("kappa", [])
    proportion_cases = cases.get("proportion", [])
    quantile_cases, distribution_cases = cases.get("fQuantile", []), cases.get("fDistribution", [])
    lines = (
        ["icc " + " ".join(str(count) for pair in pairs for count in pair) for pairs in icc_cases]
        + ["kappa " + " ".join(str(int(call)) for pair in pairs for call in pair) for pairs in kappa_cases]
        + [f"prop {case['successes']} {case['total']}" for case in proportion_cases]
        + [f"qf {case['p']!r} {case['numerator']!r} {case['denominator']!r}" for case in quantile_cases]
        + [f"pf {case['f']!r} {case['numerator']!r} {case['denominator']!r}" for case in distribution_cases]
    )
    answers = iter(run_r(lines))
    icc = [estimate(*next(answers)) for _ in icc_cases]
    kappa = []
    for pairs in kappa_cases:
        psych_value, low, high = next(answers)
        # scikit-learn warns where kappa is 0/0 and returns nan, reported as null.
        kappa.append({**estimate(kappa_value(pairs), low, high), "psychValue": finite(psych_value)})
    proportion = [estimate(*next(answers)) for _ in proportion_cases]
    quantiles = [{"value": finite(next(answers)[0])} for _ in quantile_cases]
    distribution = [{"value": finite(next(answers)[0])} for _ in distribution_cases]
    f1s = [f1(case) for case in cases.get("f1", [])]
    json.dump({"icc": icc, "kappa": kappa, "f1": f1s, "proportion": proportion, "fQuantile": quantiles, "fDistribution": distribution}, sys.stdout)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main()
