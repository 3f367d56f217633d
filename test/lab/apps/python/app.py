"""The lab's Python HTTP service. Flask, because opentelemetry-instrumentation-flask instruments it
automatically (the stdlib http.server has no OpenTelemetry instrumentation). Listens on 127.0.0.1:$PORT;
the pod template sets PORT, since every lab "pod" shares the host's network."""
import os
import sys

from flask import Flask

app = Flask(__name__)


@app.get("/<path:path>")
@app.get("/")
def answer(path: str = "") -> str:
    return f"inventory /{path}\n"


if __name__ == "__main__":
    port = os.environ.get("PORT")
    if not port:
        sys.exit("app.py: set PORT (the port to listen on)")
    app.run(host="127.0.0.1", port=int(port))
