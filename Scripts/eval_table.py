"""The evaluation table the report scripts share: header and one markdown row per `foley eval` JSON."""

HEADER = ["| row | FD ↓ | mean KL ↓ | IS ↑ | class acc ↑ | onset recall ↑ | onset precision ↑ | sync acc ↑ |",
          "|---|---|---|---|---|---|---|---|"]


def pct(x):
    return "—" if x is None else f"{100 * x:.1f}%"


def row(r):
    return (f"| {r['label']} | {r['fd']:.2f} | {r['meanKL']:.3f} | {r['inceptionScore']:.2f} | {pct(r['classAccuracy'])} | "
            f"{pct(r['onsetRecall'])} | {pct(r['onsetPrecision'])} | {pct(r['alignmentAccuracy'])} |")
