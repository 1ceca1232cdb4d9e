import CoAP
import Foundation
import Runtime

/// A load generator: keeps `inFlight` CON registrations outstanding against an LwM2M server
/// over loopback UDP and counts the 2.01 Created answers per second. Each request uses its own
/// endpoint name, so the server really creates a registration every time.
enum RegistrationLoad {
    static func run(server: PeerAddress, inFlight: Int = 16, seconds: Double = 2) throws -> Double {
        let socket = try UDPSocket(bindingTo: PeerAddress(host: server.host, port: 0))
        var nextID: UInt32 = 0
        var outstanding: [UInt16: Double] = [:]  // message id -> sent at
        var created = 0
        var other = 0

        func sendOne() throws {
            nextID &+= 1
            let mid = UInt16(truncatingIfNeeded: nextID)
            var m = Message(type: .confirmable, code: .post, messageID: mid,
                            token: Token(packed: UInt64(nextID), count: 4))
            m.uriPath = ["rd"]
            m.uriQuery = ["ep=bench-\(nextID)", "lt=300", "lwm2m=1.0", "b=U"]
            m.contentFormat = 40
            m.payload = Array("</1/0>,</3/0>,</4/0>,</5/0>,</19/0>,</19/1>".utf8)
            try socket.send(Datagram(m.encoded(), peer: server))
            outstanding[mid] = Measure.now()
        }

        for _ in 0..<inFlight { try sendOne() }
        let start = Measure.now()
        var pfd = pollfd(fd: socket.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while Measure.now() - start < seconds {
            if poll(&pfd, 1, 100) <= 0 {
                // A lost datagram: resend what waited too long so the window stays full.
                let now = Measure.now()
                for (mid, at) in outstanding where now - at > 0.5 { outstanding[mid] = nil; try sendOne() }
                continue
            }
            while let d = try socket.receive() {
                guard let m = try? Message(decoding: d.bytes), outstanding.removeValue(forKey: m.messageID) != nil else { continue }
                if m.code == .created { created += 1 } else { other += 1 }
                try sendOne()
            }
        }
        let elapsed = Measure.now() - start
        if other > 0 { print("  (\(other) answers were not 2.01)") }
        return Double(created) / elapsed
    }
}
