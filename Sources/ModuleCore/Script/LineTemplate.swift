/// A line to send, with `{name}` placeholders filled from the captures when it is sent.
public struct LineTemplate: Hashable, Sendable, CustomStringConvertible {
    let pieces: [ScriptTextPiece]

    /// Fails with a reason when `text` holds `{_}` or `{...}`, which only make sense in
    /// expected lines.
    public init(_ text: String) throws(ScriptTextError) {
        let pieces = ScriptTextPiece.pieces(of: text)
        for piece in pieces {
            switch piece {
            case .anyField, .rest: throw ScriptTextError("\(piece.source) matches received text; a line to send cannot hold it")
            case .literal, .capture, .backReference: continue
            }
        }
        self.pieces = pieces
    }

    /// The capture names the line uses, in order.
    public var names: [String] {
        pieces.compactMap {
            switch $0 {
            case .capture(let name), .backReference(let name): name
            default: nil
            }
        }
    }

    /// The text to send, or the first name that has no captured value.
    public func render(_ captures: [String: String]) -> Result<String, MissingCapture> {
        var text = ""
        for piece in pieces {
            switch piece {
            case .literal(let literal): text += literal
            case .capture(let name), .backReference(let name):
                guard let value = captures[name] else { return .failure(MissingCapture(name: name)) }
                text += value
            case .anyField, .rest: continue
            }
        }
        return .success(text)
    }

    public var description: String { pieces.map(\.source).joined() }
}

/// A line named a capture that no earlier line has filled.
public struct MissingCapture: Error, Hashable, Sendable {
    public let name: String
}

/// Why a script line's text cannot be used.
public struct ScriptTextError: Error, Hashable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
