@testable import CoAP

/// Seeded generators of valid messages and of damaged datagrams, shared by the fuzz tests.
struct RandomDatagrams {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &rng) }
    mutating func bytes(_ range: ClosedRange<Int>) -> [UInt8] { (0..<int(range)).map { _ in byte() } }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// A well-formed message: any type, a request, response or empty code, options drawn from the
    /// LwM2M set and from anywhere up to 65535, values of every length class.
    mutating func message() -> Message {
        let type = MessageType(rawValue: UInt8(int(0...3)))!
        if chance(10) { return Message(type: type, code: .empty, messageID: UInt16(int(0...0xFFFF))) }
        let code = chance(50) ? Code(0, UInt8(int(1...7))) : Code(UInt8(int(2...5)), UInt8(int(0...31)))
        var m = Message(type: type, code: code, messageID: UInt16(int(0...0xFFFF)), token: Token(bytes(0...8))!)
        let known: [OptionNumber] = [.uriHost, .eTag, .observe, .uriPort, .locationPath, .uriPath,
                                     .contentFormat, .maxAge, .uriQuery, .accept, .block2, .block1, .size2, .size1]
        for _ in 0..<int(0...6) {
            let number = chance(80) ? known[int(0...known.count - 1)] : OptionNumber(UInt16(int(0...0xFFFF)))
            let length = chance(90) ? int(0...12) : (chance(70) ? int(13...300) : int(269...1034))
            m.add(Option(number, bytes(length...length)))
        }
        if chance(60) { m.payload = bytes(1...64) }
        return m
    }

    /// A valid datagram damaged in one to four places, or plain noise.
    mutating func datagram(from valid: [UInt8]) -> [UInt8] {
        if chance(15) { return bytes(0...24) }
        if chance(10) { return [0x40 | byte() & 0x3F] + bytes(0...24) }
        var d = valid
        for _ in 0..<int(1...4) {
            switch int(0...5) {
            case 0 where !d.isEmpty:
                let i = int(0...d.count - 1); d[i] ^= 1 << UInt8(int(0...7))
            case 1 where !d.isEmpty:
                d[int(0...d.count - 1)] = byte()
            case 2 where !d.isEmpty:
                d.removeLast(int(1...min(d.count, 8)))
            case 3:
                d.insert(byte(), at: int(0...d.count))
            case 4 where !d.isEmpty:
                d.remove(at: int(0...d.count - 1))
            case 5 where d.count > 4:
                let at = int(4...d.count)
                // Bytes that mean something special in an option header.
                d.insert([0xFF, 0xD0, 0xE0, 0x0F, 0xF0][int(0...4)], at: at)
            default:
                break
            }
        }
        return d
    }
}
