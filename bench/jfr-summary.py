#!/usr/bin/python3
"""Where a Java Flight Recording's CPU samples fall: by thread pool, by library on the stack, by method.

    bench/jfr-summary.py RECORDING.jfr [--top 30] [--threads REGEX] [--native]

Reads the jdk.ExecutionSample events (threads running Java code) through the JDK's `jfr` tool.
--threads keeps the samples of the threads whose name matches (e.g. 'executor-thread' for the REST
requests' own threads); --native adds jdk.NativeMethodSample (threads inside native code, mostly
waiting on a socket: PostgreSQL's answer), so the shares are closer to where the wall time goes.
Note: with settings=profile native samples are taken every 20 ms and Java ones every 10 ms.
"By library" counts a sample once for every library anywhere on its stack (inclusive), so the rows
add up to more than 100%; "by method" counts the frame on top (self time).
"""
import collections
import json
import re
import subprocess
import sys

# Libraries by the package prefix of any frame on the stack; the first match names a frame.
LIBRARIES = [
    ("Narayana (JTA)", ("com.arjuna.", "io.quarkus.narayana.")),
    ("Agroal (pool)", ("io.agroal.",)),
    ("PostgreSQL JDBC", ("org.postgresql.",)),
    ("Hibernate ORM", ("org.hibernate.orm", "org.hibernate.engine", "org.hibernate.internal", "org.hibernate.event")),
    ("Bean Validation", ("org.hibernate.validator.",)),
    ("Artemis broker", ("org.apache.activemq.artemis.",)),
    ("Proton-J (AMQP codec)", ("org.apache.qpid.proton.",)),
    ("Vert.x Proton / AMQP client", ("io.vertx.proton.", "io.vertx.amqp.")),
    ("SmallRye Reactive Messaging", ("io.smallrye.reactive.messaging.",)),
    ("Mutiny", ("io.smallrye.mutiny.",)),
    ("SmallRye Fault Tolerance", ("io.smallrye.faulttolerance.",)),
    ("Context propagation", ("io.smallrye.context.", "io.quarkus.arc.runtime.context", "io.vertx.core.impl.ContextInternal")),
    ("OpenTelemetry", ("io.opentelemetry.",)),
    ("Micrometer", ("io.micrometer.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("Vert.x HTTP / RESTEasy Reactive", ("io.vertx.core.http.", "org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.", "io.quarkus.rest.")),
    ("REST client", ("io.quarkus.rest.client.", "org.jboss.resteasy.reactive.client.")),
    ("Netty", ("io.netty.",)),
    ("Logging", ("org.jboss.logging.", "org.jboss.logmanager.")),
    ("Errand", ("dev.errand.internal.", "dev.errand.Errands", "dev.errand.Task")),
    ("Demo apps", ("dev.errand.apps.",)),
]


def pool(thread):
    """A thread's pool: its name without the numbers."""
    return re.sub(r"\d+", "N", thread or "?")


def library(name):
    for library, prefixes in LIBRARIES:
        if name.startswith(prefixes):
            return library
    return None


def owner(names):
    """The library of the topmost frame outside the JDK, or the other code's package."""
    for name in names:
        if name.startswith(("java.", "javax.", "jdk.", "sun.")):
            continue
        found = library(name)
        return found or ".".join(name.split(".")[:3])
    return "JDK only"


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 30
    threads = re.compile(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else None
    kinds = "jdk.ExecutionSample,jdk.NativeMethodSample" if "--native" in sys.argv else "jdk.ExecutionSample"
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "200", "--events", kinds, path],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    name_of = lambda e: (e["values"].get("sampledThread") or {}).get("javaName") or (e["values"].get("sampledThread") or {}).get("osName") or "?"
    if threads:
        events = [e for e in events if threads.search(name_of(e))]
    pools, libraries, methods = collections.Counter(), collections.Counter(), collections.Counter()
    owners, inclusive = collections.Counter(), collections.Counter()
    for event in events:
        values = event["values"]
        thread = values.get("sampledThread") or {}
        pools[pool(thread.get("javaName") or thread.get("osName"))] += 1
        frames = (values.get("stackTrace") or {}).get("frames") or []
        names = [f"{f['method']['type']['name']}.{f['method']['name']}".replace("/", ".") for f in frames]
        if names:
            methods[names[0]] += 1
        owners[owner(names)] += 1
        inclusive.update(set(names))
        seen = set()
        for name in names:
            for library, prefixes in LIBRARIES:
                if name.startswith(prefixes):
                    seen.add(library)
                    break
        libraries.update(seen)
    total = len(events) or 1
    print(f"{path}: {len(events)} samples ({kinds}{', threads ' + threads.pattern if threads else ''})")
    print("\nBy thread pool (self):")
    for name, count in pools.most_common(15):
        print(f"  {count / total:6.1%}  {name}")
    print("\nBy library anywhere on the stack (inclusive):")
    for name, count in libraries.most_common():
        print(f"  {count / total:6.1%}  {name}")
    print("\nBy library on top of the stack (self; JDK frames count for the library that called them):")
    for name, count in owners.most_common():
        print(f"  {count / total:6.1%}  {name}")
    print(f"\nTop {top} methods anywhere on the stack (inclusive), outside the JDK:")
    for name, count in [(n, c) for n, c in inclusive.most_common() if not n.startswith(("java.", "jdk.", "sun."))][:top]:
        print(f"  {count / total:6.1%}  {name}")
    print(f"\nTop {top} methods (self):")
    for name, count in methods.most_common(top):
        print(f"  {count / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
