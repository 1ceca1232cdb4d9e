// Release-mode measurement of the CoAP codec, compiled against CoAP as a separate module by
// `Tools/codec-speed.sh` (not a unit test: timings belong outside `swift test`). It mirrors what
// `make bench` measures: encode + decode of a NON 2.05 notification alternating with a CON
// POST /rd registration, counting one message per encode+decode.
import CoAP
#if canImport(Glibc)
import Glibc
#endif

func nowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var notification = Message(type: .nonConfirmable, code: .content, messageID: 0x1234,
                           token: Token([0xDE, 0xAD, 0xBE, 0xEF])!)
notification.observe = 12
notification.contentFormat = 42
notification.payload = Array("123456789".utf8)

var register = Message(type: .confirmable, code: .post, messageID: 0x4321,
                       token: Token([1, 2, 3, 4, 5, 6, 7, 8])!)
register.uriPath = ["rd"]
register.uriQuery = ["ep=867724030023557", "lt=300", "lwm2m=1.0", "b=U"]
register.contentFormat = 40
register.payload = Array("</1/0>,</3/0>,</4/0>,</5/0>,</19/0>,</19/1>".utf8)
precondition(register.payload.count == 43)

let messages = [notification, register]
var check = 0
func run(_ n: Int) throws {
    for i in 0..<n {
        let bytes = messages[i & 1].encoded()
        let back = try Message(decoding: bytes)
        check &+= Int(back.messageID) &+ bytes.count
    }
}
try run(100_000)
var best = 0.0
for _ in 0..<5 {
    let n = 4_000_000
    let t0 = nowSeconds()
    try run(n)
    let rate = Double(n) / (nowSeconds() - t0)
    best = max(best, rate)
}
print("encode+decode: \(Int(best / 1000)) k messages/s (best of 5; check \(check & 0xFF))")

// The exchange machine: a CON request through a client endpoint, served piggybacked by a server
// endpoint, the ACK back into the client. Counts whole exchanges.
func exchanges(_ n: Int) -> Double {
    var clientEndpoint = CoAPEndpoint(seed: 1)
    var serverEndpoint = CoAPEndpoint(seed: 2)
    let serverAddress = PeerAddress(host: "10.0.0.1", port: 5683)
    let clientAddress = PeerAddress(host: "10.0.0.2", port: 5683)
    var request = Message(type: .confirmable, code: .get)
    request.uriPath = ["3", "0", "0"]
    let content = Message(type: .acknowledgement, code: .content, payload: Array("Quectel".utf8))
    let t0 = nowSeconds()
    for i in 0..<n {
        // 200 exchanges a virtual second: below the rate at which 16-bit message ids would wrap
        // within EXCHANGE_LIFETIME towards one peer.
        let now = Instant(milliseconds: Int64(i) * 5)
        _ = clientEndpoint.sendRequest(request, to: serverAddress, confirmable: true, now: now)
        for d in clientEndpoint.takeDatagrams() {
            _ = serverEndpoint.receive(Datagram(d.bytes, peer: clientAddress), now: now)
        }
        for case .request(let r) in serverEndpoint.takeEvents() {
            serverEndpoint.respond(to: r, with: content, now: now)
        }
        for d in serverEndpoint.takeDatagrams() {
            _ = clientEndpoint.receive(Datagram(d.bytes, peer: serverAddress), now: now)
        }
        check &+= clientEndpoint.takeEvents().count
    }
    return Double(n) / (nowSeconds() - t0)
}
_ = exchanges(20_000)
print("endpoint exchanges: \(Int(exchanges(200_000) / 1000)) k CON request/piggybacked response pairs/s")
