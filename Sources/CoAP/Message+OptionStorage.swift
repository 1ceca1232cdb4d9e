/// The wire-format option list inside `Message` (RFC 7252 §3.1): walking it, appending to it and
/// rebuilding it. Everything here trusts that `optionBytes` came from the encoder below or passed
/// the decoder's checks, yet still stops rather than traps if that were ever not so.
extension Message {
    /// The longest value the extended length field can carry: 14 means 269 + a 16-bit number.
    static let maxOptionLength = 269 + 0xFFFF

    /// Calls `body` with each option's number and the range of its value in `tail`, in
    /// order, until it returns false.
    @inline(__always)
    func forEachOption(_ body: (UInt16, Range<Int>) -> Bool) {
        let options = optionBytes
        var i = options.startIndex
        let end = options.endIndex
        var number = 0
        while i < end {
            let head = options[i]
            i += 1
            guard let delta = Self.readExtended(head >> 4, options, &i),
                  let length = Self.readExtended(head & 0x0F, options, &i) else { return }
            number += delta
            guard number <= 0xFFFF, end - i >= length else { return }
            if !body(UInt16(number), i..<(i + length)) { return }
            i += length
        }
    }

    /// The number of the last option, nil when there is none.
    var lastOptionNumber: UInt16? {
        var last: UInt16?
        forEachOption { n, _ in last = n; return true }
        return last
    }

    @inline(__always)
    private static func readExtended(_ nibble: UInt8, _ bytes: ArraySlice<UInt8>, _ i: inout Int) -> Int? {
        switch nibble {
        case 13:
            guard i < bytes.endIndex else { return nil }
            i += 1
            return Int(bytes[i - 1]) + 13
        case 14:
            guard bytes.endIndex - i >= 2 else { return nil }
            i += 2
            return (Int(bytes[i - 2]) << 8 | Int(bytes[i - 1])) + 269
        case 15:
            return nil
        default:
            return Int(nibble)
        }
    }

    /// Appends an option after the last one, in place when there is no payload yet.
    mutating func appendOption(_ option: Option, after last: UInt16) {
        if optionsCount == tail.count {
            Self.appendOption(delta: Int(option.number.rawValue - last), value: option.value, to: &tail)
            optionsCount = tail.count
        } else {
            var bytes = optionBytes
            Self.appendOption(delta: Int(option.number.rawValue - last), value: option.value, to: &bytes)
            replaceOptions(with: bytes)
        }
    }

    /// Puts `bytes` in place of the options, keeping the payload.
    mutating func replaceOptions(with bytes: ArraySlice<UInt8>) {
        var newTail = bytes
        newTail.append(contentsOf: tail.dropFirst(optionsCount))
        optionsCount = bytes.count
        tail = newTail
    }

    static func appendOption(delta: Int, value: [UInt8], to out: inout ArraySlice<UInt8>) {
        let length = value.count
        out.append((nibble(delta) << 4) | nibble(length))
        appendExtended(delta, to: &out)
        appendExtended(length, to: &out)
        out.append(contentsOf: value)
    }

    /// Replaces the options by `list`, which must already be in number order.
    mutating func reencode(_ list: [Option]) {
        var bytes: ArraySlice<UInt8> = []
        var previous: UInt16 = 0
        for o in list {
            Self.appendOption(delta: Int(o.number.rawValue - previous), value: o.value, to: &bytes)
            previous = o.number.rawValue
        }
        replaceOptions(with: bytes)
    }

    @inline(__always) static func nibble(_ v: Int) -> UInt8 {
        v < 13 ? UInt8(v) : (v < 269 ? 13 : 14)
    }

    @inline(__always) private static func appendExtended(_ v: Int, to out: inout ArraySlice<UInt8>) {
        if v >= 269 {
            let e = v - 269
            out.append(UInt8(truncatingIfNeeded: e >> 8))
            out.append(UInt8(truncatingIfNeeded: e))
        } else if v >= 13 {
            out.append(UInt8(v - 13))
        }
    }
}
