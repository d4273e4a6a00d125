#!/usr/bin/python3
"""Sends a signal to a waiting Errand workflow from Python, following docs/reference/wire-contract.md (A signal) alone.

    /usr/bin/python3 examples/python/send_signal.py --url amqp://127.0.0.1:5672 --user U --password P \
        --workflow call:... --signal approval --payload '{"approved": true, "by": "ada"}'

The workflow must take that signal from outside (@DurableWorkflow(outsideSignals = "approval")); any other
is dead-lettered, unkept. The address is errand.signals on Artemis and /exchange/errand.outside/errand.signals
on RabbitMQ (--address-prefix /exchange/errand.outside/). The message-id is the signal id: the workflow
counts one id once, so a resend after a timeout or a crash is safe.
Prints {"signalId": "..."} once the broker has accepted the signal.
Needs Debian's python3-qpid-proton.
"""
import argparse
import json
import uuid

from proton import Message
from proton.utils import BlockingConnection


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--workflow", required=True, help="the waiting workflow's call id")
    parser.add_argument("--signal", required=True, help="the signal's name, e.g. approval")
    parser.add_argument("--payload", required=True, help="a JSON value, not null: what the wait returns")
    parser.add_argument("--address-prefix", default="")
    parser.add_argument("--signal-id", default=None, help="the signal id; a new one by default")
    args = parser.parse_args()
    payload = json.loads(args.payload)

    signal_id = args.signal_id or "py-signal-" + str(uuid.uuid4())
    connection = BlockingConnection(args.url, user=args.user, password=args.password, sasl_enabled=True,
                                    allowed_mechs="PLAIN")
    sender = connection.create_sender(args.address_prefix + "errand.signals")
    # send() returns once the broker has settled the delivery: accepted, or an error is raised.
    sender.send(Message(id=signal_id, subject=args.signal, durable=True,
                        content_type="application/json; charset=utf-8",
                        body=json.dumps({"workflow": args.workflow, "signal": args.signal, "payload": payload})))
    connection.close()
    print(json.dumps({"signalId": signal_id}))


if __name__ == "__main__":
    main()
