#!/usr/bin/env python3
"""Calling `perk serve` from Python with the standard library only (docs/serve.md).

    python3 docs/examples/serve_client.py http://127.0.0.1:8080 [TOKEN]

Previews a basket, sends it (retrying on a timeout with the same event id, which can never
pay twice), then reads the customer's account.
"""
import json
import sys
import time
import urllib.error
import urllib.request


class PerkClient:
    def __init__(self, base_url, token=None, timeout=5.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            # Every error body is {"error": {"code", "message", "field"}}.
            problem = json.loads(error.read().decode("utf-8"))["error"]
            raise PerkError(error.code, problem["code"], problem["message"], problem["field"]) from None

    def preview(self, customer, event):
        """What the basket would earn; nothing is stored."""
        return self._call("POST", "/v1/events?preview=true", {"customer": customer, "event": event})

    def send(self, customer, event, attempts=5):
        """Sends the event; on a timeout or a dropped connection, sends it again with the same id.
        The event id is the idempotency key: the server applies it once and returns the stored outcome."""
        for attempt in range(attempts):
            try:
                return self._call("POST", "/v1/events", {"customer": customer, "event": event})
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def customer(self, customer_id):
        return self._call("GET", "/v1/customers/" + urllib.request.quote(customer_id, safe=""))


class PerkError(Exception):
    def __init__(self, status, code, message, field):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.field = status, code, field


def main():
    client = PerkClient(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    basket = {
        "type": "purchase", "id": "py-1", "time": "2026-11-03T08:15:00-05:00",
        "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4.50"},
                  {"sku": "croissant", "category": "pastry", "qty": 1, "unit_price": "3.25"}],
    }
    preview = client.preview("py-alice", basket)
    outcome = client.send("py-alice", basket)
    again = client.send("py-alice", basket)  # a retry: the same outcome, nothing paid twice
    assert preview == outcome == again, "a preview, the event and its retry agree"
    print("earned:", ", ".join(f"{a['points']} {a['currency']}" for a in outcome["awards"] if a["kind"] == "points"))
    print("balances:", outcome["balances"])
    account = client.customer("py-alice")
    print("tier:", account["tier"])
    for miss in account["account"].get("near_misses", []):
        print("near miss:", miss["text"])
    try:
        client.send("py-alice", dict(basket, lines=basket["lines"][:1]))
    except PerkError as error:
        print("refused:", error.code, "on", error.field)


if __name__ == "__main__":
    main()
