"""how-neurogebra-works.md, section 6: the ModelBuilder example runs as written, truthfully."""

from __future__ import annotations

import re

import numpy as np


def spec_example():
    # --- verbatim from the spec ---
    from neurogebra import ModelBuilder

    builder = ModelBuilder()
    model = builder.Sequential(
        [
            builder.Dense(128, activation="relu"),
            builder.Dropout(0.2),
            builder.Dense(64, activation="relu"),
            builder.Dense(10, activation="softmax"),
        ]
    )
    model.summary()  # See architecture
    model.explain_architecture()  # Get explanations
    # --- end of the spec's code ---
    return model


def test_summary_before_the_input_size_is_known_invents_nothing(capsys):
    model = spec_example()
    out = capsys.readouterr().out
    assert "not known yet" in out
    assert model.count_params() is None and not model.built
    # the counts that do not depend on the input width are the true ones
    assert re.search(r"Dense\(64, relu\)\s+\(batch, 64\)\s+8,256", out)  # 128·64 + 64
    assert re.search(r"Dense\(10, softmax\)\s+\(batch, 10\)\s+650", out)  # 64·10 + 10
    # the first layer's count is a formula of d, and so is the total
    assert "128·d + 128" in out
    assert "Total parameters: 128·d + 9,034" in out  # 128 + 8,256 + 650
    # explain_architecture walked every layer
    for i in range(1, 5):
        assert f"Layer {i}:" in out


def test_summary_after_build_shows_hand_computed_counts(capsys):
    model = spec_example()
    model.build(784)
    text = model.summary()
    assert "784 features per sample" in text
    assert re.search(r"Dense\(128, relu\)\s+\(batch, 128\)\s+100,480", text)  # 784·128 + 128
    assert re.search(r"Dropout\(0.2\)\s+\(batch, 128\)\s+0", text)
    assert "Total parameters: 109,386" in text  # 100,480 + 8,256 + 650
    assert model.count_params() == 109_386 == sum(p.size for p in model.parameters())
    assert capsys.readouterr().out.count("Total parameters") == 2  # before and after build


def test_first_fit_fixes_the_input_size(capsys):
    model = spec_example()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), rng.integers(0, 10, size=40)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X, y, epochs=1, batch_size=8, verbose=0)
    text = model.summary()
    assert "5 features per sample" in text
    assert "768" in text  # 5·128 + 128
    assert model.count_params() == 768 + 8_256 + 650
    assert "Compiled: loss categorical_crossentropy" in text


def test_explain_architecture_is_returned_as_printed(capsys):
    model = spec_example()
    capsys.readouterr()
    text = model.explain_architecture()
    assert capsys.readouterr().out == text + "\n"
    assert "Max(0, x)" in text  # relu's formula, from MathForge
    assert "probabilities" in text  # why softmax
    assert "Dropout" in text and "prediction time" in text
