"""Schemathesis hooks for Sluice's row formats (loaded by api_contract_test.sh).

Requests: NDJSON, JSON Lines and CSV upload bodies are strings in openapi.yaml; these
serializers send them as UTF-8 text (a non-string negative value goes as its JSON text).

Responses: openapi.yaml describes row streams as strings, which says little; these
deserializers check the framing before the string schema is applied, so a malformed stream
fails the response-conformance check: every NDJSON line must be one JSON object, every CSV
record must have as many fields as the header.
"""
import csv
import io
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson", "application/jsonl", "text/csv")
def rows_as_text(ctx, value):
    if isinstance(value, bytes):
        return {"data": value}
    if isinstance(value, str):
        return {"data": value.encode("utf-8", "surrogatepass")}
    return {"data": json.dumps(value).encode("utf-8")}


@schemathesis.deserializer("application/x-ndjson")
def ndjson_rows(ctx, response):
    text = response.content.decode("utf-8")
    if text and not text.endswith("\n"):
        raise ValueError("an NDJSON stream must end with a newline")
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number} is not JSON: {error}") from None
        if not isinstance(row, dict):
            raise ValueError(f"line {number} is not a JSON object: {line[:80]}")
    return text


@schemathesis.deserializer("text/csv")
def csv_rows(ctx, response):
    text = response.content.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        raise ValueError("a CSV stream starts with a header row")
    width = len(records[0])
    for number, record in enumerate(records[1:], start=2):
        if len(record) != width:
            raise ValueError(f"record {number} has {len(record)} fields, the header {width}")
    return text
