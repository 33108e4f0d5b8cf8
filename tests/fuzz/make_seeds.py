#!/usr/bin/env python3
"""Writes the generated seeds of tests/fuzz/corpus: DNS replies, proxy lines, HTTP heads, hosts and small
JSON documents. (Certificates come from make_cert_seeds.sh; fixtures are copied from the unit tests.)"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, "corpus", target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, "corpus", target, name), "wb") as f:
        f.write(data)


# --- DNS replies ------------------------------------------------------------------------------------------
def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(qd, an, rcode=0, tc=False, ns=0, ar=0):
    flags = 0x8180 | rcode | (0x0200 if tc else 0)
    return struct.pack(">HHHHHH", 0x1234, flags, qd, an, ns, ar)


def rr(owner, rtype, rdata, ttl=300):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def question(qname, qtype=1):
    return name(qname) + struct.pack(">HH", qtype, 1)


A, CNAME, AAAA, TXT = 1, 5, 28, 16
Q = b"\xc0\x0c"  # pointer to the question name

write("dns_answer", "a-record", header(1, 1) + question("contoso.blob.core.windows.net") +
      rr(Q, A, bytes([20, 60, 1, 4])))
# storage: a CNAME chain through the privatelink zone to a private endpoint address, names compressed
qn = question("contosoml4821.blob.core.windows.net")
first = name("contosoml4821.privatelink.blob.core.windows.net")
msg = header(1, 3) + qn
off1 = len(msg) + 12  # rdata of the first CNAME starts after owner pointer (2) + fixed (10)
msg += rr(Q, CNAME, first)
second = name("blob.bl5prdstr09a.store.core.windows.net")
off2 = len(msg) + 12
msg += rr(struct.pack(">H", 0xC000 | off1), CNAME, second)
msg += rr(struct.pack(">H", 0xC000 | off2), A, bytes([10, 0, 1, 5]))
write("dns_answer", "cname-chain-private-endpoint", msg)
# a CNAME target compressed against the question name's suffix
msg = header(1, 2) + question("ml.azure.com")
msg += rr(Q, CNAME, b"\x03edge" + b"\xc0\x0f")  # edge.azure.com via a pointer to "azure.com"
msg += rr(name("edge.azure.com"), AAAA, bytes.fromhex("20010db8000000000000000000000001"))
write("dns_answer", "cname-compressed-aaaa", msg)
write("dns_answer", "nxdomain", header(1, 0, rcode=3) + question("missing.privatelink.vaultcore.azure.net"))
write("dns_answer", "nodata", header(1, 0) + question("contosokv.vault.azure.net", AAAA))
write("dns_answer", "servfail-truncated", header(1, 0, rcode=2, tc=True) + question("mcr.microsoft.com"))
msg = header(1, 2) + question("loop.example")
msg += rr(Q, CNAME, name("loop2.example")) + rr(name("loop2.example"), CNAME, b"\xc0\x0c")
write("dns_answer", "cname-loop", msg)
msg = header(1, 3) + question("mixed.example")
msg += rr(Q, TXT, b"\x05hello") + rr(Q, A, bytes([52, 239, 1, 1])) + rr(Q, AAAA, bytes(16))
write("dns_answer", "txt-then-addresses", msg)

# --- proxy: "URL\nNO_PROXY\nHOST" ----------------------------------------------------------------------
for i, (url, no_proxy, host) in enumerate([
    ("http://proxy.contoso.com:3128", "localhost,127.0.0.1,.internal", "contoso.blob.core.windows.net"),
    ("http://user:p%40ss@10.0.0.9:8080", ".core.windows.net", "contoso.blob.core.windows.net"),
    ("proxy:3128", "*", "login.microsoftonline.com"),
    ("http://[fd00::9]:3128/", "10.0.0.0/8 fd00::/8", "10.0.1.5"),
    ("HTTP://TOKEN@Proxy.Example", "[::1],example.com.", "[::1]"),
    ("https://proxy:443", "", "Example.COM."),
    ("socks5://proxy:1080", "169.254.169.254", "169.254.169.254"),
]):
    write("proxy", f"seed-{i}", f"{url}\n{no_proxy}\n{host}")

# --- HTTP response heads and Date values -----------------------------------------------------------------
heads = {
    "storage-403": "HTTP/1.1 403 This request is not authorized to perform this operation.\r\n"
                   "Server: Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0\r\nx-ms-request-id: 7d3f\r\n"
                   "x-ms-error-code: AuthorizationFailure\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                   "Content-Length: 0\r\n\r\n",
    "acr-307": "HTTP/1.1 307 Temporary Redirect\r\nLocation: https://contosoacr.westeurope.data.azurecr.io/v2/blob?sig=x\r\n"
               "Docker-Distribution-Api-Version: registry/2.0\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n"
               "Content-Length: 0\r\n\r\n",
    "redirect-v6-port": "HTTP/1.1 302 Found\r\nlocation: https://[2001:db8::1]:8443/x\r\ndate: Sun Nov  6 08:49:37 1994\r\n\r\n",
    "proxy-407": "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"squid\"\r\n"
                 "Via: 1.1 squid\r\nX-Squid-Error: ERR_CACHE_ACCESS_DENIED 0\r\nX-Cache: MISS\r\n\r\n",
    "keyvault-401": "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer authorization=\"https://login.microsoftonline.com/x\"\r\n"
                    "x-ms-keyvault-network-info: conn_type=Ipv4;addr=20.1.2.3;act_addr_fam=InterNetwork;\r\n"
                    "x-ms-keyvault-region: eastus\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
}
for key, value in heads.items():
    write("http", key, value)
for i, date in enumerate(["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                          "Sun Nov  6 08:49:37 1994", "Fri, 31 Dec 9999 23:59:60 GMT", "Thu, 29 Feb 2024 00:00:00 GMT"]):
    write("http", f"date-{i}", date)

# --- hosts ------------------------------------------------------------------------------------------------
write("hosts", "ipv6-and-comments", "::1 localhost\nfe80::1%eth0 router # scoped\n\t10.0.0.4\tA.Example B ;x\n"
      "not-an-ip name\n10.0.0.5\n")
write("hosts", "crlf", "127.0.0.1 localhost\r\n10.1.2.3 contoso.vault.azure.net\r\n")

# --- metadata ---------------------------------------------------------------------------------------------
write("metadata", "minimal", '{"compute":{"location":"westeurope","azEnvironment":"AzurePublicCloud"},'
      '"network":{"interface":[{"ipv4":{"ipAddress":[{"privateIpAddress":"10.0.0.4","publicIpAddress":""}],'
      '"subnet":[{"address":"10.0.0.0","prefix":"24"}]},"ipv6":{"ipAddress":[]}}]}}')
write("metadata", "odd-types", '{"compute":{"location":5,"zone":null},"network":{"interface":[{"ipv4":'
      '{"ipAddress":[{"privateIpAddress":"10.0.0.999"}],"subnet":[{"address":"10.0.0.0","prefix":"33"}]}}]}}')

# --- ARM token response -----------------------------------------------------------------------------------
write("arm", "token", '{"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln",'
      '"expires_in":"86399","token_type":"Bearer","resource":"https://management.azure.com/"}')
write("arm", "az-token", '{"accessToken":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln",'
      '"expiresOn":"2026-01-01 00:00:00.000000"}')

# --- config -----------------------------------------------------------------------------------------------
write("config", "small", '// comments are allowed\n{"vnet": ["10.0.0.0/16"], "dns_servers": ["10.0.0.10:53"],\n'
      ' /* block */ "skip": ["mcr"], "extra_hosts": [{"host": "pypi.contoso.com", "ports": [443]}]}\n')
write("config", "url", "https://management.usgovcloudapi.net:8443/base/")
write("config", "connection-string", "InstrumentationKey=00000000-0000-0000-0000-000000000000;"
      "IngestionEndpoint=https://EastUS-8.in.applicationinsights.azure.com/;LiveEndpoint=https://eastus.livediagnostics.monitor.azure.com/")

# --- workspace --------------------------------------------------------------------------------------------
write("workspace", "mlflow-uri", "azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000000/"
      "resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/contoso-ml")
