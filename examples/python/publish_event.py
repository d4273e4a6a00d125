#!/usr/bin/python3
"""Publishes Errand events from Python, following docs/reference/wire-contract.md (Events) alone.

    /usr/bin/python3 examples/python/publish_event.py --url amqp://127.0.0.1:5672 --user U --password P \
        --type orders.placed --body '{"orderId": 1}'

Only subscribers that take outside events (@OutsideSenders) process it; every other subscriber of the
type (the demo's lemonade stand among them) dead-letters it as untrusted-sender.

The address is errand.events on Artemis and /exchange/errand.events on RabbitMQ (--address). The AMQP
subject is the event type, the message-id the event id (each subscriber handles an id once), the
body a JSON object. Prints {"sent": N, "ids": [...]} once the broker has accepted every event.
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
    parser.add_argument("--address", default="errand.events")
    parser.add_argument("--type", required=True, help="the event type, e.g. lemonade.order-placed")
    parser.add_argument("--body", required=True, help="the payload, a JSON object")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--id-prefix", default="py-event-")
    args = parser.parse_args()
    json.loads(args.body)  # refuse to send what is not JSON

    connection = BlockingConnection(args.url, user=args.user, password=args.password, sasl_enabled=True,
                                    allowed_mechs="PLAIN")
    sender = connection.create_sender(args.address)
    ids = []
    for _ in range(args.count):
        event_id = args.id_prefix + str(uuid.uuid4())
        # send() returns once the broker has settled the delivery: accepted, or an error is raised.
        sender.send(Message(id=event_id, subject=args.type, durable=True,
                            content_type="application/json; charset=utf-8", body=args.body))
        ids.append(event_id)
    connection.close()
    print(json.dumps({"sent": len(ids), "ids": ids}))


if __name__ == "__main__":
    main()
