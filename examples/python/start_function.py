#!/usr/bin/python3
"""Starts an Errand durable function from Python, following docs/reference/wire-contract.md (A durable call) alone.

    /usr/bin/python3 examples/python/start_function.py --url amqp://127.0.0.1:5672 --user U --password P \
        --function square --arguments '[42]'

The function must take outside starts (@OutsideSenders on it; the demo's export functions do not, and
refuse such a call as untrusted-sender). The address is errand.functions.<function> on Artemis and
/exchange/errand.outside/errand.functions.<function> on RabbitMQ (--address-prefix /exchange/errand.outside/). The message-id is the call id (a function runs once per id),
the body {"arguments": [...]}, one JSON value per parameter. With --business-key the call is started once
per key: a second start with the key (under another call id) runs nothing, and
GET /errand/calls?function=<function>&businessKey=outside:<key> finds the one call.
Prints {"callId": "..."} once the broker has accepted the call; GET /errand/calls/<callId> then reads its
status and result.
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
    parser.add_argument("--function", required=True, help="the function's name, e.g. export-user")
    parser.add_argument("--arguments", required=True, help="a JSON array: one value per parameter")
    parser.add_argument("--address-prefix", default="")
    parser.add_argument("--call-id", default=None, help="the call id; a new one by default")
    parser.add_argument("--business-key", default=None,
                        help="starts the function once per key (the application property errand_business_key)")
    args = parser.parse_args()
    arguments = json.loads(args.arguments)
    if not isinstance(arguments, list):
        raise SystemExit("--arguments must be a JSON array")

    call_id = args.call_id or "py-call-" + str(uuid.uuid4())
    connection = BlockingConnection(args.url, user=args.user, password=args.password, sasl_enabled=True,
                                    allowed_mechs="PLAIN")
    sender = connection.create_sender(args.address_prefix + "errand.functions." + args.function)
    # send() returns once the broker has settled the delivery: accepted, or an error is raised.
    properties = {"errand_business_key": args.business_key} if args.business_key else None
    sender.send(Message(id=call_id, subject=args.function, durable=True,
                        content_type="application/json; charset=utf-8", properties=properties,
                        body=json.dumps({"arguments": arguments})))
    connection.close()
    print(json.dumps({"callId": call_id}))


if __name__ == "__main__":
    main()
