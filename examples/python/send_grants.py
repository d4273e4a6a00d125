#!/usr/bin/python3
"""Sends coupon grants to Errand over AMQP 1.0, following docs/reference/wire-contract.md.

Any AMQP 1.0 client can do this; this one uses Debian's python3-qpid-proton:

    /usr/bin/python3 examples/python/send_grants.py --campaign 1 --users 100

Each message carries a stable message-id (coupon:<campaign>:<user>), so sending it again is
harmless: Errand processes each message-id once. --twice sends every message two times to show it.
--poison adds one message that breaks the contract (its body is not JSON); Errand dead-letters it
with the reason and goes on with the others.

The password of the embedded broker is read from errand-data/credentials.properties unless
--password or ERRAND_AMQP_PASSWORD is given.
"""
import argparse
import json
import os
import sys
import time

from proton import Message
from proton.utils import BlockingConnection

QUEUE = "errand.coupon-grants"


def broker_password(args):
    if args.password:
        return args.password
    if os.environ.get("ERRAND_AMQP_PASSWORD"):
        return os.environ["ERRAND_AMQP_PASSWORD"]
    with open(args.credentials, encoding="utf-8") as credentials:
        for line in credentials:
            if line.startswith("amqp.%s.password=" % args.user):
                return line.split("=", 1)[1].strip()
    sys.exit("no password for %s: pass --password or set ERRAND_AMQP_PASSWORD" % args.user)


def grant(campaign, user, cents):
    return Message(
        id="coupon:%d:%s" % (campaign, user),           # the idempotency key: stable across resends
        durable=True,                                    # survives a broker restart
        subject="coupon.grant",                          # the task type
        correlation_id="campaign:%d" % campaign,         # groups the campaign's work and dead letters
        content_type="application/json; charset=utf-8",   # see the wire contract: never decoded early
        creation_time=time.time(),                       # lets the broker measure the queue's lag
        body=json.dumps({"campaignId": campaign, "userId": user, "amountCents": cents}).encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="amqp://127.0.0.1:5672")
    parser.add_argument("--user", default="errand-sender")
    parser.add_argument("--password")
    parser.add_argument("--credentials", default="errand-data/credentials.properties")
    parser.add_argument("--campaign", type=int, required=True)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--prefix", default="py-user-")
    parser.add_argument("--cents", type=int, default=1500)
    parser.add_argument("--address", default=QUEUE, help="RabbitMQ, as the sender user: /exchange/errand.outside/" + QUEUE)
    parser.add_argument("--twice", action="store_true", help="send every message twice")
    parser.add_argument("--poison", action="store_true", help="add one message that breaks the contract")
    args = parser.parse_args()

    connection = BlockingConnection(args.url, user=args.user, password=broker_password(args),
                                    allowed_mechs="PLAIN")
    try:
        sender = connection.create_sender(args.address)
        sent = 0
        for n in range(args.users):
            message = grant(args.campaign, "%s%05d" % (args.prefix, n), args.cents)
            for _ in range(2 if args.twice else 1):
                sender.send(message)                     # returns once the broker has accepted it
                sent += 1
        if args.poison:
            sender.send(Message(id="coupon:%d:poison" % args.campaign, durable=True, subject="coupon.grant",
                                correlation_id="campaign:%d" % args.campaign,
                                content_type="application/json; charset=utf-8", body=b"this is not JSON"))
            sent += 1
        print(json.dumps({"sent": sent, "address": args.address}))
    finally:
        connection.close()


if __name__ == "__main__":
    main()
