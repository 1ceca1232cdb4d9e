#!/usr/bin/env python3
"""A small LwM2M server written with aiocoap, a CoAP stack nobody on this project wrote.

It accepts one client's registration, reads /3/0 as TLV and decodes it with its own TLV
reader, observes /3/0/13 and waits for notifications. Every step is printed as one JSON line
on stdout, so the Swift interop test can check what an independent peer saw.

usage: lwm2m_server.py PORT NOTIFICATIONS
"""
import asyncio
import json
import sys

import aiocoap
import aiocoap.resource as resource
from aiocoap.numbers.codes import Code

TLV = 11542


def emit(**event):
    print(json.dumps(event), flush=True)


def tlv_decode(data):
    """Decode OMA TLV (LwM2M 1.0 §6.4.3) into a list of (kind, id, value-or-children)."""
    out, i = [], 0
    while i < len(data):
        t = data[i]
        i += 1
        kind = {0: "instance", 1: "resource-instance", 2: "multiple", 3: "resource"}[t >> 6]
        if t & 0x20:
            ident = int.from_bytes(data[i:i + 2], "big"); i += 2
        else:
            ident = data[i]; i += 1
        ltype = (t >> 3) & 3
        if ltype == 0:
            length = t & 7
        else:
            length = int.from_bytes(data[i:i + ltype], "big"); i += ltype
        if i + length > len(data):
            raise ValueError("TLV length past end")
        value = data[i:i + length]
        i += length
        if kind in ("instance", "multiple"):
            out.append((kind, ident, tlv_decode(value)))
        else:
            out.append((kind, ident, value))
    return out


def device_fields(tlvs):
    """Resources of /3/0 as {id: text or int or [ints]}."""
    fields = {}
    for kind, ident, value in tlvs:
        if kind == "instance":
            fields.update(device_fields(value))
        elif kind == "multiple":
            fields[str(ident)] = [int.from_bytes(v, "big", signed=True) for _, _, v in value]
        elif ident in (0, 1, 2, 3, 14, 15, 16, 17, 18, 19):
            fields[str(ident)] = value.decode("utf-8", "replace")
        else:
            fields[str(ident)] = int.from_bytes(value, "big", signed=True) if value else 0
    return fields


class Directory(resource.Resource):
    def __init__(self, registered):
        super().__init__()
        self.registered = registered

    async def render_post(self, request):
        query = dict(q.split("=", 1) if "=" in q else (q, "") for q in request.opt.uri_query)
        emit(event="register", query=query, links=request.payload.decode(),
             content_format=int(request.opt.content_format or 0))
        if not self.registered.done():
            self.registered.set_result(request.remote)
        return aiocoap.Message(code=Code.CREATED, location_path=("rd", "1"))


class Registration(resource.Resource):
    async def render_post(self, request):
        emit(event="update", query=list(request.opt.uri_query))
        return aiocoap.Message(code=Code.CHANGED)

    async def render_delete(self, request):
        emit(event="deregister")
        return aiocoap.Message(code=Code.DELETED)


async def main(port, notifications):
    loop = asyncio.get_running_loop()
    registered = loop.create_future()
    site = resource.Site()
    site.add_resource(["rd"], Directory(registered))
    site.add_resource(["rd", "1"], Registration())
    ctx = await aiocoap.Context.create_server_context(site, bind=("127.0.0.1", port))
    emit(event="listening", port=port)
    remote = await asyncio.wait_for(registered, 20)
    base = "coap://%s" % remote.hostinfo

    read = aiocoap.Message(code=Code.GET, uri=base + "/3/0", accept=TLV)
    answer = await asyncio.wait_for(ctx.request(read).response, 20)
    emit(event="read", code=str(answer.code), content_format=int(answer.opt.content_format or 0),
         device=device_fields(tlv_decode(answer.payload)))

    observe = aiocoap.Message(code=Code.GET, uri=base + "/3/0/13", observe=0)
    request = ctx.request(observe)
    first = await asyncio.wait_for(request.response, 20)
    emit(event="observed", code=str(first.code), value=first.payload.decode(),
         observe=first.opt.observe)
    count = 0
    async for note in request.observation:
        count += 1
        emit(event="notification", value=note.payload.decode(), observe=note.opt.observe)
        if count >= notifications:
            request.observation.cancel()
            break
    emit(event="done", notifications=count)
    await ctx.shutdown()


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), int(sys.argv[2])), 60))
    except Exception as error:  # report, so the Swift side shows why
        emit(event="error", error=repr(error))
        sys.exit(1)
