"""The evaluation table the report scripts share: header and one markdown row per `foley eval` JSON."""

HEADER = ["| row | FD ↓ | mean KL ↓ | IS ↑ | class acc ↑ | onset recall ↑ | onset precision ↑ | sync acc ↑ |",
          "|---|---|---|---|---|---|---|---|"]


def pct(x):
    return "—" if x is None else f"{100 * x:.1f}%"


def row(r):
    return (f"| {r['label']} | {r['fd']:.2f} | {r['meanKL']:.3f} | {r['inceptionScore']:.2f} | {pct(r['classAccuracy'])} | "
            f"{pct(r['onsetRecall'])} | {pct(r['onsetPrecision'])} | {pct(r['alignmentAccuracy'])} |")


def per_class(rows):
    """Class accuracy per true class (rows as columns), for the rows whose JSON has it: shows which
    kinds of sound a row gets wrong, which one accuracy figure hides."""
    rows = [r for r in rows if r.get("classAccuracyByClass")]
    if not rows:
        return []
    classes = sorted({c for r in rows for c in r["classAccuracyByClass"]})
    lines = ["| class | " + " | ".join(r["label"] for r in rows) + " |", "|---" * (len(rows) + 1) + "|"]
    for c in classes:
        lines.append(f"| {c} | " + " | ".join(pct(r["classAccuracyByClass"].get(c)) for r in rows) + " |")
    return lines


def per_class_section(rows):
    """The per-class table with its heading, or nothing when no row has per-class figures."""
    table = per_class(rows)
    return ["Class accuracy by true class:", "", *table, ""] if table else []
