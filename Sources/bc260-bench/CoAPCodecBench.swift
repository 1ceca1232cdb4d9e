import CoAP

/// The fixed mix: a NON 2.05 notification (4-byte token, Observe, Content-Format 42,
/// 9-byte payload) alternating with a CON registration POST (Content-Format 40, 43-byte links).
enum CoAPCodecBench {
    static let notification = Message(
        type: .nonConfirmable, code: .content, messageID: 0x1234,
        token: Token([0xDE, 0xAD, 0xBE, 0xEF])!,
        options: [Option(.observe, uint: 12), Option(.contentFormat, uint: 42)],
        payload: [0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x32, 0x38])

    static let registration: Message = {
        var m = Message(type: .confirmable, code: .post, messageID: 0x1235, token: Token([1, 2, 3, 4])!)
        m.uriPath = ["rd"]
        m.uriQuery = ["ep=867724030023557", "lt=300", "lwm2m=1.0", "b=U"]
        m.contentFormat = 40
        m.payload = Array("</1/0>,</3/0>,</4/0>,</5/0>,</19/0>,</19/1>".utf8)
        return m
    }()

    static func run() -> Double {
        precondition(registration.payload.count == 43)
        let mix = [notification, registration]
        return Measure.rate { n in
            var sum = 0
            var buffer: [UInt8] = []
            buffer.reserveCapacity(128)
            for i in 0..<n {
                buffer.removeAll(keepingCapacity: true)
                mix[i & 1].encode(into: &buffer)
                if let m = try? Message(decoding: buffer) { sum &+= m.payload.count }
            }
            return sum
        }
    }
}
