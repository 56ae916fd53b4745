"""Per-language n-gram models: mapped labels, the shipped-format round trip and its bar."""

from __future__ import annotations

import pytest

from moderation.scoring.ngrams import analyze, load_ngram_model, save_ngram_model
from moderation.training.language_models import (
    choose_language_thresholds,
    earns_scoring,
    fit_model,
    log_count_ratios,
    measure,
)
from moderation.training.language_sets import LANGUAGES, LabelledText, load_language

TOXIC = ["du bist ein dummer idiot", "halt die klappe du idiot", "so ein dummer schwachkopf",
         "verpiss dich du idiot", "was für ein dummer mensch", "idiot und schwachkopf"]
CLEAN = ["danke für den artikel", "ein guter bericht heute", "ich stimme dem autor zu",
         "der rat hat heute entschieden", "gute arbeit und danke", "interessanter bericht"]


def _texts(rows, toxic):
    return [LabelledText(text, toxic, "made_up", "de") for text in rows]


@pytest.fixture(scope="module")
def tiny_model():
    train = _texts(TOXIC, True) + _texts(CLEAN, False)
    model = fit_model("de", train)
    model.thresholds = choose_language_thresholds(train, [model.score_one(t.text) for t in train])
    return model


def test_analyzer_cuts_words_pairs_and_character_runs_and_drops_mentions():
    features = analyze("@someone Gut so https://example.org")
    assert "w gut" in features and "w gut so" in features and " gu" in features
    assert not any("someone" in f or "example" in f for f in features)


def test_korean_words_share_features_with_their_typed_initial_consonants():
    # "ㅅㅂ" is how "시발" is often typed; the syllables alone share no run with it.
    assert set(analyze("ㅅㅂ")) & set(analyze("시발")) >= {"ㅅㅂ", " ㅅㅂ "}
    assert "ㅅㅂ" not in analyze("사랑")  # ㅅㄹ: only the first consonant is shared


def test_korean_letters_are_read_only_from_hangul_words():
    assert analyze("Gut so, übrigens") == [f for f in analyze("Gut so, übrigens")
                                            if not f.startswith("d")]
    assert any(f.startswith("d") for f in analyze("시발"))


def test_ratios_favour_features_seen_more_in_toxic_texts():
    import numpy as np
    from scipy import sparse

    features = sparse.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]]))
    ratios = log_count_ratios(features, [1, 1, 0, 0])
    assert ratios[0] > 0 > ratios[2] and ratios[1] == pytest.approx(0.0)


def test_analyzer_bounds_the_work_of_a_huge_comment():
    assert len(analyze("a" * 100_000)) == len(analyze("a" * 10_000))


def test_model_ranks_toxic_above_clean(tiny_model):
    assert tiny_model.score_one("du idiot") > tiny_model.score_one("danke für den bericht")


@pytest.mark.parametrize(
    "text", ["", "   ", "\ud800 lone surrogate", "日本 mixed Ελληνικά", "x" * 100_000]
)
def test_odd_input_gets_a_probability_not_an_error(tiny_model, text):
    assert 0.0 <= tiny_model.score_one(text) <= 1.0


def test_saved_model_scores_as_trained(tiny_model, tmp_path):
    save_ngram_model(tmp_path / "de.npz", tiny_model)
    loaded = load_ngram_model(tmp_path / "de.npz")
    for text in TOXIC + CLEAN + ["ganz neuer text"]:
        assert loaded.score_one(text) == pytest.approx(tiny_model.score_one(text), abs=2e-3)
    assert loaded.thresholds == tiny_model.thresholds


def test_scores_match_scikit_learns_own_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = TOXIC + CLEAN, [1] * len(TOXIC) + [0] * len(CLEAN)
    vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True)
    classifier = LogisticRegression().fit(vectorizer.fit_transform(texts), labels)
    model = fit_model("de", _texts(TOXIC, True) + _texts(CLEAN, False))
    # Same features and weights, in the hashed layout: the same probability.
    model = type(model).from_vocabulary("de", vectorizer.vocabulary_, vectorizer.idf_,
                                        classifier.coef_[0], float(classifier.intercept_[0]))
    for text in ["du dummer idiot, danke", "ganz neuer text", "idiot"]:
        expected = classifier.predict_proba(vectorizer.transform([text]))[0, 1]
        assert model.score_one(text) == pytest.approx(expected, abs=1e-6)


def test_measure_reports_auc_and_routing_shares(tiny_model):
    test = _texts(TOXIC, True) + _texts(CLEAN, False)
    metrics = measure(tiny_model, test)
    assert metrics["auc"] == 1.0 and metrics["auc_made_up"] == 1.0
    assert 0.0 <= metrics["toxic_published"] <= 1.0 and 0.0 <= metrics["clean_held"] <= 1.0


def test_only_a_language_over_both_bars_earns_scoring():
    assert earns_scoring({"auc": 0.9, "toxic_published": 0.1})
    assert not earns_scoring({"auc": 0.84, "toxic_published": 0.1})
    assert not earns_scoring({"auc": 0.95, "toxic_published": 0.2})


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_loads_with_both_labels(data_dir, language):
    texts = load_language(data_dir, language)
    assert len(texts) > 300
    assert {t.language for t in texts} == {language}
    toxic = sum(t.toxic for t in texts) / len(texts)
    assert 0.05 < toxic < 0.95


def test_train_languages_command_writes_only_models_that_earn_scoring(runner, data_dir,
                                                                        tmp_path):
    result = runner.invoke(args=["moderation", "train-languages", "--data", str(data_dir),
                                 "--out", str(tmp_path), "--limit", "400"])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads((tmp_path / "report.json").read_text())
    assert set(report) == set(LANGUAGES)
    shipped = {path.stem for path in tmp_path.glob("*.npz")}
    assert shipped == {language for language, row in report.items() if row["scored"]}
