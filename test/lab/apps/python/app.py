"""The lab's Python HTTP service. Flask, because both agents instrument it automatically
(opentelemetry-instrumentation-flask; the SkyWalking Python agent's sw_flask plugin), unlike the stdlib
http.server. Listens on 127.0.0.1:$PORT; the pod template sets PORT, since every lab "pod" shares the host's
network. With DOWNSTREAM_URL set, each request first calls that URL (GET, the request's path appended) with
urllib.request, which both agents instrument too (opentelemetry-instrumentation-urllib; sw_urllib_request), so
a chain of lab apps is one call path whose context headers the agents write and read."""
import os
import sys
import urllib.request

from flask import Flask

app = Flask(__name__)
DOWNSTREAM_URL = os.environ.get("DOWNSTREAM_URL", "").rstrip("/")


@app.get("/<path:path>")
@app.get("/")
def answer(path: str = "") -> str:
    line = f"inventory /{path}\n"
    if not DOWNSTREAM_URL:
        return line
    with urllib.request.urlopen(f"{DOWNSTREAM_URL}/{path}", timeout=10) as response:
        return line + response.read().decode()


if __name__ == "__main__":
    port = os.environ.get("PORT")
    if not port:
        sys.exit("app.py: set PORT (the port to listen on)")
    app.run(host="127.0.0.1", port=int(port))
