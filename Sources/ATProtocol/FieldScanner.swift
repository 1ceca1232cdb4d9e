/// Splits comma-separated fields, shared by the command parser and the response-line reader.
///
/// Quoting rule (the module has no escapes): a string opens with `"` and closes at the first
/// `"` that is followed, after optional spaces, by `,` or the end of the line. A `"` anywhere
/// else is part of the string. So the note's `+QLAURC: "write",...,20,"{"outletStatus":"1"}",0`
/// reads as the 20-byte JSON text, and a string that never closes is an error, not a guess.
struct FieldScanner {
    /// Command lines refuse `;` and quotes inside unquoted fields; response lines accept
    /// parenthesised lists such as `(0-3)` or `(0,1)` as one token.
    enum Dialect { case command, response }

    static func split(_ bytes: [UInt8], from start: Int, dialect: Dialect) throws(ATParseError) -> [ATValue] {
        var fields: [ATValue] = []
        var i = start
        let end = bytes.count
        while true {
            while i < end, isSpace(bytes[i]) { i += 1 }
            if i == end {
                fields.append(.empty)
                return fields
            }
            if bytes[i] == UInt8(ascii: "\"") {
                guard let close = closingQuote(bytes, openingAt: i) else {
                    throw ATParseError(.unterminatedString, at: i)
                }
                fields.append(.string(String(decoding: bytes[(i + 1)..<close], as: UTF8.self)))
                i = close + 1
                while i < end, isSpace(bytes[i]) { i += 1 }
                if i == end { return fields }
                i += 1 // the comma closingQuote found
                continue
            }
            let fieldStart = i
            var depth = 0
            while i < end {
                let byte = bytes[i]
                if dialect == .response, byte == UInt8(ascii: "(") { depth += 1 }
                if dialect == .response, byte == UInt8(ascii: ")"), depth > 0 { depth -= 1 }
                if byte == UInt8(ascii: ","), depth == 0 { break }
                if dialect == .command {
                    if byte == UInt8(ascii: "\"") { throw ATParseError(.quoteInUnquotedParameter, at: i) }
                    if byte == UInt8(ascii: ";") { throw ATParseError(.commandConcatenation, at: i) }
                }
                i += 1
            }
            var fieldEnd = i
            while fieldEnd > fieldStart, isSpace(bytes[fieldEnd - 1]) { fieldEnd -= 1 }
            let text = String(decoding: bytes[fieldStart..<fieldEnd], as: UTF8.self)
            fields.append(ATValue.unquoted(text[...]))
            if i == end { return fields }
            i += 1
        }
    }

    /// The index of the quote closing the string opened at `open`, or nil.
    static func closingQuote(_ bytes: [UInt8], openingAt open: Int) -> Int? {
        var j = open + 1
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\"") {
                var k = j + 1
                while k < bytes.count, isSpace(bytes[k]) { k += 1 }
                if k == bytes.count || bytes[k] == UInt8(ascii: ",") { return j }
            }
            j += 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
