#!/usr/bin/python3
"""Shows how RabbitMQ 3.10's AMQP 1.0 plugin honours link credit (issue 12, item 13).

Fills errand.test-idle with 5,000 messages, then receives without settling in two ways:
  topped-up: initial credit, then one more credit per message received (what vertx-amqp-client,
             under the SmallRye connector, does), for the first 500 messages;
  batched:   a new batch of credit only once the last one is used up.
Measured on 3.10.8: batched receives exactly what it granted; topped-up receives more (e.g. 2,054
for 1,000 + 500). Needs bench/rabbitmq/start.sh's broker and Debian's python3-qpid-proton:
    /usr/bin/python3 bench/rabbitmq/credit-check.py
"""
import json
import urllib.request
from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container
from proton.utils import BlockingConnection

URL = "amqp://127.0.0.1:5682"
QUEUE = "errand.test-idle"
LOGIN = dict(user="errand", password="errand-local-only", sasl_enabled=True, allowed_mechs="PLAIN")


def purge():
    request = urllib.request.Request("http://127.0.0.1:15682/api/queues/%%2F/%s/contents" % QUEUE, method="DELETE")
    request.add_header("Authorization", "Basic ZXJyYW5kOmVycmFuZC1sb2NhbC1vbmx5")
    urllib.request.urlopen(request).read()


def fill(count):
    connection = BlockingConnection(URL, **LOGIN)
    sender = connection.create_sender("/amq/queue/" + QUEUE)
    for i in range(count):
        sender.send(Message(id="credit-%d" % i, body="x", durable=True))
    connection.close()


class Receiver(MessagingHandler):
    def __init__(self, initial, more, batched):
        super().__init__(prefetch=0, auto_accept=False)
        self.initial, self.more, self.batched = initial, more, batched
        self.received, self.granted = 0, initial

    def on_start(self, event):
        self.connection = event.container.connect(URL, **LOGIN)
        self.link = event.container.create_receiver(self.connection, "/amq/queue/" + QUEUE)
        self.link.flow(self.initial)
        event.container.schedule(8, self)

    def on_message(self, event):
        self.received += 1
        if self.granted - self.initial >= self.more:
            return
        if not self.batched:
            self.link.flow(1)
            self.granted += 1
        elif self.link.credit == 0:
            grant = min(self.initial, self.more - (self.granted - self.initial))
            self.link.flow(grant)
            self.granted += grant

    def on_timer_task(self, event):
        self.connection.close()


for batched in (False, True):
    purge()
    fill(5000)
    receiver = Receiver(1000, 500 if not batched else 1000, batched)
    Container(receiver).run()
    print(json.dumps({"mode": "batched" if batched else "topped-up", "granted": receiver.granted,
                      "received": receiver.received}))
purge()
