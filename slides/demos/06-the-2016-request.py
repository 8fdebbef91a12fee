"""Demo 6: the request from the 2016 client slide, against the lab's good endpoint (8441).

Run from the repository root with `tlslab serve --base-port 8440` running:
    python3 slides/demos/06-the-2016-request.py
It sends the 2016 request (a bare \\n, no Host header, no empty line), then a correct one.
"""
import socket
import ssl
import sys
import time

HOST, PORT = "good.localhost", 8441
context = ssl.create_default_context(cafile=".tlslab/lab-root.pem")

print(f"Python {sys.version.split()[0]}: ssl.wrap_socket "
      f"{'still exists (deprecated; removed in 3.12)' if hasattr(ssl, 'wrap_socket') else 'is gone (removed in 3.12)'}; "
      "use SSLContext.wrap_socket")


def ask(request: bytes) -> None:
    print(f"\n>>> {request!r}")
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", PORT), timeout=20) as sock:
        with context.wrap_socket(sock, server_hostname=HOST) as conn:
            conn.sendall(request)
            answer = b""
            while chunk := conn.recv(4096):
                answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode()
    print(f"<<< after {time.monotonic() - started:.1f} s: {head.splitlines()[0]}")


ask(b"GET / HTTP/1.1\n")
ask(b"GET / HTTP/1.1\r\nHost: good.localhost\r\nConnection: close\r\n\r\n")
