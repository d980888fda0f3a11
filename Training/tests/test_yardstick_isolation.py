"""The yardstick stays out of the generators: no trainer uses an evaluation network in a loss
or a ranking. The only exception on record is SpecVQGAN's codec, whose perceptual loss was
computed on the mel classifier's activations before this rule (Reports/specvqgan.md says which
rows that flatters); new trainers must use a network of their own for perceptual losses."""
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..")
EVAL_ONLY = {"train_sfx_probe.py", "convert_aisfx.py"}            # the yardstick's own code
MEL_CLASSIFIER_USERS = {"train_classifier.py", "export_models.py",  # trains / exports it
                        "train_codec.py"}                           # the recorded exception


def sources():
    for folder in (ROOT, os.path.join(ROOT, "foleytrain")):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                yield name, open(os.path.join(folder, name)).read()


def test_no_trainer_uses_the_external_embedding_or_the_class_probe():
    for name, text in sources():
        if name in EVAL_ONLY or name == "sfx.py":
            continue
        assert not re.search(r"\bsfx\b|aisfx|eval-sfx-probe", text), f"{name} uses the evaluation's sound-effects embedding"


def test_the_mel_classifier_is_used_only_where_recorded():
    for name, text in sources():
        if name in MEL_CLASSIFIER_USERS or name == "encoders.py":
            continue
        assert "MelClassifier" not in text and "eval-classifier" not in text, f"{name} uses the evaluation classifier"


def test_swift_generators_cannot_import_the_evaluation():
    package = open(os.path.join(ROOT, "..", "Package.swift")).read()
    line = re.search(r'\.target\(name: "Generators", dependencies: \[([^\]]*)\]', package).group(1)
    assert "Evaluation" not in line and "IndependentOnsets" not in line
