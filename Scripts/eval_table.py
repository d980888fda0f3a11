"""The evaluation tables the report scripts share: one markdown row per `foley eval` JSON, each
metric as value (95% bootstrap interval over clips)."""

HEADLINE = [("fd_sfx", "FD_sfx ↓", False), ("kl_sfx", "KL_sfx ↓", False), ("class", "class ↑", True),
            ("onset_recall", "onset R ↑", True), ("onset_precision", "onset P ↑", True), ("onset_f1", "onset F1 ↑", True),
            ("sync", "sync ↑", True)]
SECONDARY = [("fd_mel", "FD_mel ↓", False), ("kl_mel", "KL_mel ↓", False), ("is_mel", "IS_mel ↑", False),
             ("class_mel", "class_mel ↑", True), ("flux_recall", "flux R ↑", True), ("flux_precision", "flux P ↑", True)]


def cell(r, key, pct):
    e = r.get("metrics", {}).get(key)
    if e is None:
        return "—"
    if pct:
        return f"{100 * e['value']:.1f} ({100 * e['low']:.1f}–{100 * e['high']:.1f})"
    digits = 3 if key.startswith("kl") else 2 if e["value"] < 10 else 1
    return f"{e['value']:.{digits}f} ({e['low']:.{digits}f}–{e['high']:.{digits}f})"


def table(rows, columns):
    head = "| row | " + " | ".join(c[1] for c in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|"]
    for r in rows:
        lines.append(f"| {r['label']} | " + " | ".join(cell(r, k, p) for k, _, p in columns) + " |")
    return lines


def tables(rows):
    """Headline and secondary tables with their headings."""
    return (["Headline metrics (aisfx embedding at 44.1 kHz, independent onset detector, sync judge); percentages",
             "for class, onsets and sync; each value with its 95% bootstrap interval over clips:", "",
             *table(rows, HEADLINE), "",
             "Secondary metrics (our 80-band mel, 125–7600 Hz: the mel classifier and the spectral-flux onsets that",
             "SpecVQGAN's candidate ranking also uses):", "", *table(rows, SECONDARY), ""])


def pct(x):
    return "—" if x is None else f"{100 * x:.1f}%"


def per_class(rows):
    """Class accuracy per true class (rows as columns)."""
    rows = [r for r in rows if r.get("classAccuracyByClass")]
    if not rows:
        return []
    classes = sorted({c for r in rows for c in r["classAccuracyByClass"]})
    lines = ["| class | " + " | ".join(r["label"] for r in rows) + " |", "|---" * (len(rows) + 1) + "|"]
    for c in classes:
        lines.append(f"| {c} | " + " | ".join(pct(r["classAccuracyByClass"].get(c)) for r in rows) + " |")
    return lines


def per_class_section(rows):
    table_ = per_class(rows)
    return ["Class accuracy (probe on aisfx embeddings) by true class:", "", *table_, ""] if table_ else []


def confusion_section(r):
    """The probe's confusion table for one row (true class → predicted)."""
    conf = r.get("confusion") or {}
    if not conf:
        return []
    classes = sorted(set(conf) | {p for v in conf.values() for p in v})
    lines = [f"Confusion of the class probe on `{r['label']}` (rows: true class, columns: predicted):", "",
             "| true \\ predicted | " + " | ".join(classes) + " |", "|---" * (len(classes) + 1) + "|"]
    for t in classes:
        lines.append(f"| {t} | " + " | ".join(str(conf.get(t, {}).get(p, 0) or "·") for p in classes) + " |")
    return lines + [""]


def comparison(text, title="Paired comparison (`foley eval --compare`):"):
    """A `foley eval --compare` printout as a report section."""
    return [title, "", "```", text.rstrip(), "```", ""]
