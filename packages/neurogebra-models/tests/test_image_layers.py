"""Conv2D, MaxPool2D, Flatten and BatchNorm: shapes, counts, errors, gradients and torch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra.core.tensor import Tensor
from neurogebra_models import ModelBuilder
from neurogebra_models.layers import BatchNorm, Conv2D, Dense, Flatten, MaxPool2D
from neurogebra_models.model import Model

b = ModelBuilder(seed=0)


def small_cnn(seed: int = 0, padding: int | str = "same") -> Model:
    return Model(
        [
            Conv2D(3, 3, padding=padding, activation="tanh"),
            BatchNorm(),
            MaxPool2D(2),
            Flatten(),
            Dense(4, activation="softmax"),
        ],
        seed=seed,
    )


def test_shapes_and_parameter_counts_follow_the_image():
    model = small_cnn()
    model.build((2, 6, 6))
    widths = [model.input_dim]
    for layer in model.layers:
        widths.append(layer.output_width(widths[-1]))
    assert widths == [(2, 6, 6), (3, 6, 6), (3, 6, 6), (3, 3, 3), 27, 4]
    # conv 3·2·3·3 + 3, batch norm 2·3, dense 27·4 + 4
    assert model.count_params() == 57 + 6 + 112
    assert [w.shape for w in model.get_weights()][-2:] == [(3,), (3,)]  # running statistics
    text = model.summary(print_fn=lambda _: None)
    assert "(batch, 3, 3, 3)" in text and "plus 6 running statistics" in text
    assert "Conv2D" in model.explain_architecture(print_fn=lambda _: None)
    strided = Conv2D(2, (3, 2), stride=2, padding=1)
    assert strided.output_width((1, 7, 7)) == (
        2,
        4,
        4,
    )  # (7 + 2 - 3) // 2 + 1, (7 + 2 - 2) // 2 + 1
    assert MaxPool2D(3, stride=1).output_width((1, 5, 5)) == (1, 3, 3)


def test_an_unbuilt_image_model_says_what_it_cannot_count_yet():
    text = small_cnn().summary(print_fn=lambda _: None)
    assert "27·d + 3" in text  # conv: 3 filters of d channels x 3 x 3, plus 3 biases
    assert "not known until the input shape is" in text


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: Conv2D(0, 3), "filters must be a whole number"),
        (lambda: Conv2D(2, (3, "a")), "kernel_size"),
        (lambda: Conv2D(2, 2, padding="same"), "padding='same'"),
        (lambda: Conv2D(2, 3, padding="full"), "padding"),
        (lambda: Conv2D(2, 3, activation="softmax"), "belongs to the last Dense layer"),
        (lambda: Conv2D(2, 3, input_shape=(8, 8)), "input_shape must be (channels"),
        (lambda: MaxPool2D(0), "pool_size"),
        (lambda: BatchNorm(momentum=0), "momentum"),
        (lambda: BatchNorm(epsilon=-1.0), "epsilon"),
    ],
)
def test_bad_layer_arguments_are_named(make, words):
    with pytest.raises(ValueError) as error:
        make()
    assert words in str(error.value)


def test_image_data_mistakes_are_explained():
    model = small_cnn()
    with pytest.raises(ValueError, match=r"4-D array of images .*reshape\(len\(X\), 1, height"):
        model.predict(np.zeros((5, 6, 6)))
    model.build((1, 6, 6))
    with pytest.raises(ValueError, match=r"expects images of shape .*\(1, 6, 6\).*\(2, 6, 6\)"):
        model.predict(np.zeros((5, 2, 6, 6)))
    dense_first = Model([Dense(3), Conv2D(2, 3)])
    with pytest.raises(ValueError, match="needs images of shape"):
        dense_first.build(4)
    conv_then_dense = Model([Conv2D(2, 3), Dense(3)])
    with pytest.raises(ValueError, match=r"needs flat features .*put Flatten\(\) before it"):
        conv_then_dense.build((1, 5, 5))
    too_small = Model([Conv2D(2, 5), Flatten(), Dense(2)])
    with pytest.raises(ValueError, match="does not fit in 3x3 images"):
        too_small.build((1, 3, 3))
    features = Model([Dense(3), BatchNorm(), Dense(2, activation="softmax")])
    features.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"a batch of 1 sample.*len\(X\) % batch_size == 1"):
        features.fit(np.zeros((5, 2)), [0, 1, 0, 1, 0], batch_size=2, epochs=1, verbose=0)


@settings(max_examples=6)
@given(seed=st.integers(0, 10_000), padding=st.sampled_from([0, 1, "same"]))
def test_gradients_through_a_cnn_match_central_differences(seed, padding):
    rng = np.random.default_rng(seed)
    model = small_cnn(seed, padding)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    X, y = rng.normal(size=(4, 1, 5, 5)), rng.integers(0, 4, size=4)
    model.build((1, 5, 5))
    for p in model.parameters():  # move BatchNorm's gamma and beta and the biases off 1 and 0
        p.data[...] = p.data + rng.normal(scale=0.3, size=p.shape)

    def loss_value() -> float:
        return model.loss(model.loss_outputs(Tensor(X), training=True), y).item()

    state = [t.data.copy() for t in model.layers[1].buffers()]
    loss = model.loss(model.loss_outputs(Tensor(X), training=True), y)
    loss.backward()
    h = 1e-6
    for p in model.parameters():
        numeric = np.zeros_like(p.data)
        for i in np.ndindex(p.shape):
            old = p.data[i]
            p.data[i] = old + h
            up = loss_value()
            p.data[i] = old - h
            down = loss_value()
            p.data[i] = old
            numeric[i] = (up - down) / (2 * h)
        np.testing.assert_allclose(p.grad, numeric, rtol=1e-4, atol=1e-7)
    assert not np.array_equal(model.layers[1].buffers()[0].data, state[0])  # running mean moved


def test_training_a_cnn_matches_torch_step_for_step():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    nn = torch.nn
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 2, 6, 6)), rng.integers(0, 4, size=12)
    model = Model(
        [
            Conv2D(3, 3, stride=1, padding=1, activation="relu"),
            BatchNorm(),
            MaxPool2D(2),
            Flatten(),
            Dense(4, activation="softmax"),
        ],
        seed=1,
    )
    model.compile(loss="categorical_crossentropy", optimizer=b.SGD(0.1, momentum=0.9))
    model.build((2, 6, 6))
    net = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1),
        nn.ReLU(),
        nn.BatchNorm2d(3),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(27, 4),
    ).double()
    conv, norm, dense = model.layers[0], model.layers[1], model.layers[4]
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(conv.weight.numpy()))
        net[0].bias.copy_(torch.tensor(conv.bias.numpy()))
        net[5].weight.copy_(torch.tensor(dense.weight.numpy().T))  # torch keeps (out, in)
        net[5].bias.copy_(torch.tensor(dense.bias.numpy()))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    model.fit(X, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    net.train()
    for _ in range(3):
        for start in range(0, 12, 4):
            loss = nn.functional.cross_entropy(
                net(torch.tensor(X[start : start + 4])), torch.tensor(y[start : start + 4])
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    np.testing.assert_allclose(conv.weight.numpy(), net[0].weight.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(norm.gamma.numpy(), net[2].weight.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(dense.weight.numpy().T, net[5].weight.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(norm.running_mean.numpy(), net[2].running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(norm.running_var.numpy(), net[2].running_var.numpy(), atol=1e-12)
    net.eval()
    with torch.no_grad():
        expected = torch.softmax(net(torch.tensor(X)), dim=1).numpy()
    np.testing.assert_allclose(model.predict(X), expected, atol=1e-10)


def test_batch_norm_on_features_uses_running_statistics_at_prediction_time():
    norm = BatchNorm(momentum=0.5)
    norm.build(2, np.random.default_rng(0))
    x = Tensor([[0.0, 10.0], [2.0, 30.0], [4.0, 50.0]])
    trained = norm(x, training=True).numpy()
    np.testing.assert_allclose(trained.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(trained.var(axis=0), 1.0, atol=1e-5)
    # running = 0.5·initial + 0.5·batch (unbiased variance, as torch)
    np.testing.assert_allclose(norm.running_mean.numpy(), [1.0, 15.0])
    np.testing.assert_allclose(norm.running_var.numpy(), [0.5 + 0.5 * 4.0, 0.5 + 0.5 * 400.0])
    predicted = norm(x, training=False).numpy()
    expected = (x.numpy() - [1.0, 15.0]) / np.sqrt(np.array([2.5, 200.5]) + 1e-5)
    np.testing.assert_allclose(predicted, expected)
