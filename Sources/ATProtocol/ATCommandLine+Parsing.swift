extension ATCommandLine {
    /// Parses one command line (without its terminator).
    ///
    /// Accepts `AT`/`at` (any case) followed by nothing, by one basic command (`I`, `E0`, `&F`,
    /// ...), or by `+NAME` and one of `=?`, `?`, `=params`, nothing. Names are case-insensitive and
    /// stored in upper case. Spaces and tabs around the line and around parameters are ignored.
    /// Control characters (other than tab) anywhere are refused.
    public static func parse(_ line: String) throws(ATParseError) -> ATCommandLine {
        let bytes = Array(line.utf8)
        if let bad = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            throw ATParseError(.controlCharacter(bytes[bad]), at: bad)
        }
        var start = 0
        var end = bytes.count
        while start < end, FieldScanner.isSpace(bytes[start]) { start += 1 }
        while end > start, FieldScanner.isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { throw ATParseError(.emptyLine, at: 0) }
        // Offsets stay relative to the line as given: work on the full array, bounded by `end`.
        let body = Array(bytes[0..<end])
        guard end - start >= 2,
              body[start] | 0x20 == UInt8(ascii: "a"), body[start + 1] | 0x20 == UInt8(ascii: "t") else {
            throw ATParseError(.missingPrefix, at: start)
        }
        let i = start + 2
        if i == end { return ATCommandLine(.attention) }
        if body[i] == UInt8(ascii: "+") {
            return try parseExtended(body, nameAt: i + 1)
        }
        return try parseBasic(body, at: i)
    }

    private static func parseExtended(_ body: [UInt8], nameAt nameStart: Int) throws(ATParseError) -> ATCommandLine {
        var i = nameStart
        while i < body.count, isNameByte(body[i]) { i += 1 }
        guard i > nameStart else {
            if i == body.count || body[i] == UInt8(ascii: "=") || body[i] == UInt8(ascii: "?") {
                throw ATParseError(.missingCommandName, at: nameStart)
            }
            throw nameError(body, at: i)
        }
        let name = String(decoding: body[nameStart..<i], as: UTF8.self).uppercased()
        if i == body.count { return .extended(name, .execute) }
        switch body[i] {
        case UInt8(ascii: "?"):
            try expectEnd(body, at: i + 1)
            return .extended(name, .query)
        case UInt8(ascii: "="):
            if i + 1 < body.count, body[i + 1] == UInt8(ascii: "?") {
                try expectEnd(body, at: i + 2)
                return .extended(name, .test)
            }
            let values = try FieldScanner.split(body, from: i + 1, dialect: .command)
            return .extended(name, .set(values))
        default:
            throw nameError(body, at: i)
        }
    }

    private static func parseBasic(_ body: [UInt8], at start: Int) throws(ATParseError) -> ATCommandLine {
        var i = start
        var name = ""
        if body[i] == UInt8(ascii: "&") {
            name = "&"
            i += 1
        }
        guard i < body.count, isLetter(body[i]) else {
            if i < body.count, body[i] == UInt8(ascii: ";") { throw ATParseError(.commandConcatenation, at: i) }
            throw nameError(body, at: i)
        }
        name += String(UnicodeScalar(body[i] & ~0x20))
        i += 1
        var value: Int?
        let digitsStart = i
        while i < body.count, body[i] >= 0x30, body[i] <= 0x39 { i += 1 }
        if i > digitsStart {
            guard i - digitsStart <= 9, let number = Int(String(decoding: body[digitsStart..<i], as: UTF8.self)) else {
                throw ATParseError(.numberTooLarge, at: digitsStart)
            }
            value = number
        }
        try expectEnd(body, at: i)
        return ATCommandLine(.basic(name: name, value: value))
    }

    private static func expectEnd(_ body: [UInt8], at i: Int) throws(ATParseError) {
        guard i < body.count else { return }
        if body[i] == UInt8(ascii: ";") { throw ATParseError(.commandConcatenation, at: i) }
        throw ATParseError(.unexpectedText(String(decoding: body[i...], as: UTF8.self)), at: i)
    }

    private static func nameError(_ body: [UInt8], at i: Int) -> ATParseError {
        guard i < body.count else { return ATParseError(.missingCommandName, at: i) }
        if body[i] == UInt8(ascii: ";") { return ATParseError(.commandConcatenation, at: i) }
        // Show the whole (possibly multi-byte) character, not a lone byte.
        var j = i + 1
        while j < body.count, body[j] & 0xC0 == 0x80 { j += 1 }
        return ATParseError(.invalidNameCharacter(String(decoding: body[i..<j], as: UTF8.self)), at: i)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
    }
}
