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
