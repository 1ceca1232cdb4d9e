/// The pieces of a script line's text: literal text and `{...}` placeholders.
///
/// - `{name}` (an identifier: a letter or `_`, then letters, digits, `_`): in an expected line it
///   captures one field; in a line to send it is the captured text.
/// - `{=name}`: in an expected line, the text captured earlier must appear here; in a line to
///   send, the same as `{name}`.
/// - `{_}`: any one field, not kept. `{...}`: the rest of the line, whatever it holds.
/// - Anything else in braces is plain text (JSON such as `{"outletStatus":"1"}` needs no
///   escaping); `\{` is a literal `{` for the rare text that looks like a placeholder.
///
/// A field is a run of characters holding no comma outside double quotes, as in AT lines.
enum ScriptTextPiece: Hashable, Sendable {
    case literal(String)
    case capture(String)
    case backReference(String)
    case anyField
    case rest

    /// Cuts `text` into pieces; adjacent literal text is merged.
    static func pieces(of text: String) -> [ScriptTextPiece] {
        var pieces: [ScriptTextPiece] = []
        var literal = ""
        var index = text.startIndex
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "\\", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "{" {
                literal.append("{")
                index = text.index(index, offsetBy: 2)
                continue
            }
            if character == "{", let close = text[index...].firstIndex(of: "}"),
               let placeholder = placeholder(String(text[text.index(after: index)..<close])) {
                flush()
                pieces.append(placeholder)
                index = text.index(after: close)
                continue
            }
            literal.append(character)
            index = text.index(after: index)
        }
        flush()
        return pieces
    }

    /// The placeholder for the text between braces, or nil when it is plain text.
    private static func placeholder(_ inner: String) -> ScriptTextPiece? {
        if inner == "_" { return .anyField }
        if inner == "..." { return .rest }
        if inner.hasPrefix("=") {
            let name = String(inner.dropFirst())
            return isName(name) ? .backReference(name) : nil
        }
        return isName(inner) ? .capture(inner) : nil
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text != "_" else { return false }
        func isLetter(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" }
        return isLetter(first) && text.unicodeScalars.allSatisfy { isLetter($0) || ($0 >= "0" && $0 <= "9") }
    }

    /// The piece as written in a script.
    var source: String {
        switch self {
        case .literal(let text): text.replacingBraces()
        case .capture(let name): "{\(name)}"
        case .backReference(let name): "{=\(name)}"
        case .anyField: "{_}"
        case .rest: "{...}"
        }
    }
}

private extension String {
    /// Literal text written back so that it reads as literal again.
    func replacingBraces() -> String {
        var result = ""
        var index = startIndex
        while index < endIndex {
            if self[index] == "{", let close = self[index...].firstIndex(of: "}") {
                let inner = String(self[self.index(after: index)..<close])
                if inner == "_" || inner == "..." || ScriptTextPiece.isName(inner)
                    || (inner.hasPrefix("=") && ScriptTextPiece.isName(String(inner.dropFirst()))) {
                    result += "\\"
                }
            }
            result.append(self[index])
            index = self.index(after: index)
        }
        return result
    }
}
