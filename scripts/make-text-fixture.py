#!/usr/bin/env python3
"""Writes the text fixtures of the tokenizer tests into test/fixtures/text/.

Run with Hugging Face's `tokenizers` (the Rust library; here from the local wheel:
`python3 -m venv /tmp/tok && /tmp/tok/bin/pip install --no-index --find-links /opt/pypi/files
tokenizers && /tmp/tok/bin/python scripts/make-text-fixture.py`).

  tokenizer.json          a small BERT-style WordPiece tokenizer (lowercasing, [CLS] ... [SEP])
  references.json         what the Rust library makes of the test sentences, padded to 12 and
                          truncated to 12, and padded to the longest: the ids, attention masks
                          and token type ids webinfer's `text` op must give
"""
import json
from pathlib import Path

from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "text"
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "this", "is", "a", "good", "bad", "movie", "film", "very", "not",
         "great", "terrible", "!", ".", ",", "the", "plot", "act", "##ing", "##s", "##ly", "was", "and"]
SENTENCES = [
    "This movie is very good!",
    "The acting was terrible, and the plot was bad.",
    "Films.",
    "A great, great, great, great, great film and a great plot!",
    "Unknown words get [UNK]",
]
MAX_LENGTH = 12


def tokenizer() -> Tokenizer:
    tok = Tokenizer(WordPiece({token: i for i, token in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tok.decoder = decoders.WordPiece()
    return tok


def encodings(tok: Tokenizer, padding: dict) -> list:
    tok.enable_truncation(max_length=MAX_LENGTH)
    tok.enable_padding(pad_id=0, pad_token="[PAD]", **padding)
    encoded = [{"ids": e.ids, "attention_mask": e.attention_mask, "type_ids": e.type_ids} for e in tok.encode_batch(SENTENCES)]
    tok.no_padding()
    tok.no_truncation()
    return encoded


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tok = tokenizer()
    tok.save(str(OUT / "tokenizer.json"))
    references = {
        "sentences": SENTENCES,
        "maxLength": MAX_LENGTH,
        "maxLengthPadded": encodings(tok, {"length": MAX_LENGTH}),
        "longestPadded": encodings(tok, {}),
    }
    (OUT / "references.json").write_text(json.dumps(references, indent=1) + "\n")
    print(f"wrote tokenizer.json and references.json ({len(SENTENCES)} sentences)")


if __name__ == "__main__":
    main()
