"""Issue 14: layer facts live on the layer specs, and each question about names and shapes has
one answer. The libraries a spec declares are the ones installed Keras 3 and tf_keras have; code
generation refuses a class its library lacks; an input row is one answer for infer, plan,
cross-check and diff."""

from __future__ import annotations

import pytest

import summary_audit
from conftest import FIXTURES, import_library
from summary_audit.codegen import generate
from summary_audit.crosscheck import compare
from summary_audit.diff import diff
from summary_audit.infer import infer
from summary_audit.layers import REGISTRY
from summary_audit.layers.base import cut_name_match, generated_from
from summary_audit.plan import PlanError, plan_model
from summary_audit.pytest_plugin import summary_text
from summary_audit.shapes import one_output, shape_text, shapes_text


def test_declared_libraries_are_the_installed_ones() -> None:
    """`LayerSpec.libraries` is data about Keras: every class a spec declares is in exactly the
    libraries whose `layers` module has it (models used as layers are built as `keras.Model`)."""
    modules = {"keras": import_library("keras").layers, "tf_keras": import_library("tf_keras").layers}
    wrong = {}
    for name in REGISTRY.class_names():
        spec = REGISTRY.get(name)
        assert spec is not None
        if spec.is_container:
            continue
        have = frozenset(library for library, layers in modules.items() if hasattr(layers, name))
        if have != spec.libraries:
            wrong[name] = (sorted(spec.libraries), sorted(have))
    assert not wrong, wrong


def _gqa_audit():  # type: ignore[no-untyped-def]
    """A real Keras 3 print of GroupQueryAttention, a class tf_keras does not have."""
    keras = import_library("keras")
    tokens = keras.Input((8, 16), name="tokens")
    attended = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2,
                                                name="gqa")(tokens, tokens)
    model = keras.Model(tokens, keras.layers.Dense(3, name="head")(attended), name="gqa_model")
    assert model.count_params() == 867
    summary = summary_audit.parse(summary_text(model)).summaries[0]
    return summary_audit.audit(summary)


def test_codegen_refuses_a_class_its_library_lacks() -> None:
    audit = _gqa_audit()
    assert [r.status for r in audit.rows] == ["ok", "ok", "ok"]
    for_keras = plan_model(audit, "keras")
    assert "keras.layers.GroupQueryAttention(" in generate(for_keras, "keras")
    with pytest.raises(PlanError, match="GroupQueryAttention does not exist in tf_keras"):
        generate(for_keras, "tf_keras")
    # planned for tf_keras, the layer is a stand-in holding its 816 weights
    script = generate(plan_model(audit, "tf_keras"), "tf_keras")
    assert "GroupQueryAttention(" not in script and "StandIn(weights=816" in script


def test_a_plan_builds_in_its_library() -> None:
    """A plan for Keras 3 builds GroupQueryAttention itself; tf_keras still has LocallyConnected,
    which Keras 3 lost: planned for tf_keras, the rebuilt model has the table's count."""
    keras = import_library("keras")
    from summary_audit.keras_build import build

    assert build(plan_model(_gqa_audit(), "keras"), keras).count_params() == 867
    tf_keras = import_library("tf_keras")
    image = tf_keras.Input((10, 10, 3))
    features = tf_keras.layers.Reshape((64, 4))(tf_keras.layers.LocallyConnected2D(4, 3)(image))
    model = tf_keras.Model(image, tf_keras.layers.LocallyConnected1D(2, 3)(features))
    audit = summary_audit.audit(summary_audit.parse(summary_text(model)).summaries[0])
    planned = {layer.call.class_name for layer in plan_model(audit, "tf_keras").layers if layer.call}
    assert {"LocallyConnected2D", "LocallyConnected1D"} <= planned
    assert build(plan_model(audit, "tf_keras"), tf_keras).count_params() == model.count_params() == 8780
    assert {layer.call.class_name for layer in plan_model(audit, "keras").layers if layer.call} == {"StandIn",
                                                                                                  "Reshape"}


def _cut_input_type() -> str:
    """A real Keras 2.3.1 print whose input row's type is cut at a narrower column edge, the way
    that printer cuts (`max_pooling2d_1 (MaxPooling2`): `(In` fits InputLayer and IntegerLookup;
    the generated name `input_1` says which."""
    text = (FIXTURES / "legacy" / "keras-2.3.1" / "functional_chain.txt").read_text(encoding="utf-8")
    assert "digits (InputLayer)          (None, 28, 28, 1)" in text
    return text.replace("digits (InputLayer)", "input_1 (In        ")


def test_an_input_row_is_one_answer_where_its_type_was_cut() -> None:
    summary = summary_audit.parse(_cut_input_type()).summaries[0]
    row = summary.rows[0]
    assert row.layer_class is None and {"InputLayer", "IntegerLookup"} <= set(row.class_candidates)
    assert REGISTRY.classes_of(row) == ("InputLayer",) and REGISTRY.is_input_row(row)
    read = infer(summary).rows[0]
    assert read.layer_class == "InputLayer" and read.input_shapes == () and read.exact
    audit = summary_audit.audit(summary)
    plan = plan_model(audit)
    assert [i.name for i in plan.inputs] == ["input_1"] and plan.layers[0].name == "conv2d_1"
    # the cross-check and the diff leave it out or keep it alike on both sides
    assert len(compare(summary, summary)) == 0
    whole = summary_audit.parse((FIXTURES / "legacy" / "keras-2.3.1" / "functional_chain.txt").read_text()).summaries[0]
    changed = diff(whole, summary)
    assert changed.compared_rows[0] == changed.compared_rows[1] == len(summary.rows)
    assert [(c.kind, [f.field for f in c.fields]) for c in changed.changes] == [("changed", ["name"])]


def test_a_row_without_its_type_is_never_read_as_an_input() -> None:
    """Keras 2.3.1 cut `global_average_pooling1d_1`'s type off whole: the rows that fit its
    numbers are pooling layers, never an InputLayer (it reads the row above)."""
    summary = summary_audit.parse((FIXTURES / "legacy" / "keras-2.3.1" / "zoo_conv1d.txt").read_bytes()).summaries[0]
    index = next(i for i, r in enumerate(summary.rows) if r.name == "global_average_pooling1d_1")
    assert summary.rows[index].type == "" and not REGISTRY.is_input_row(summary.rows[index])
    read = infer(summary).rows[index]
    assert read.exact and read.layer_class == "GlobalAveragePooling1D" and read.input_shapes
    assert "InputLayer" not in (read.best.note or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("name, known, match", [
    ("batch_normalizatio…", "batch_normalization_7", True),  # Keras 3 marks its cut
    ("batch_normalization_7", "batch_normalizatio…", True),  # ... on either side
    ("conv2d", "conv2d_1", False),  # another layer, not a cut
    ("block_14_expand_relu", "block_14_expand_relu_extra", True),  # 20 characters: old printers' edge
    ("conv", "conv2d", False),  # a short unmarked name is whole
    ("dense", "dense", True),
])
def test_cut_name_matching(name: str, known: str, match: bool) -> None:
    assert cut_name_match(name, known) is match


def test_generated_names_tell_the_class() -> None:
    gaussian = ("GaussianDropout", "GaussianNoise")
    assert REGISTRY.named_classes("gaussian_dropout_1", gaussian) == ("GaussianDropout",)
    assert REGISTRY.named_classes("input_1", ("InputLayer", "IntegerLookup")) == ("InputLayer",)
    assert REGISTRY.named_classes("model_3", ("Functional",)) == ("Functional",)  # tf.keras's stem
    assert generated_from(("maxpooling2d",), "max_pooling2d_1", cut=True)
    assert not generated_from(("dense",), "dense_head")
    # the tie-break's looser test: the name begins with the stem
    assert generated_from(("timedistributed",), "timedistributeddense_1", prefix=True)


def test_shapes_have_one_text_and_one_unwrap() -> None:
    assert one_output(((None, 28, 28, 1),)) == (None, 28, 28, 1)
    assert one_output(((None, 3), (None, 4))) == ((None, 3), (None, 4))
    assert one_output("multiple") == "multiple" and one_output(None) is None
    assert shape_text((None, 28, 28, 1)) == "(None, 28, 28, 1)" and shape_text((None,)) == "(None,)"
    assert shape_text(((None, 3), (None, 4))) == "[(None, 3), (None, 4)]" and shape_text(None) == ""
    assert shapes_text([(None, 3), (None, 4)]) == "(None, 3), (None, 4)"


def test_cut_names_finds_what_cut_name_match_finds() -> None:
    """The index of infer and verify answers as the one-pair test does, over names made to
    collide: short and long (the 20-character edge), cut with `…` or not, prefixes of each other."""
    import random

    from summary_audit.layers.base import CutNames, cut_name_match

    chance = random.Random(17)

    def name() -> str:
        text = "".join(chance.choice("ab_") for _ in range(chance.choice([0, 1, 3, 19, 20, 21, 24])))
        return text + "…" * chance.choice([0, 0, 1])

    for _ in range(400):
        names = [name() for _ in range(chance.randint(0, 10))]
        index = CutNames(names)
        for known in names + [name() for _ in range(5)]:
            query = known[:chance.randint(0, len(known))] + chance.choice(["", "…"])
            for asked in (known, query):
                assert index.matches(asked) == {k for k in names if cut_name_match(asked, k)}
