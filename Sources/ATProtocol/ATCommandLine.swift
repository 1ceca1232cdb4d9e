/// A parsed AT command line: what the terminal asked the module to do.
///
/// `ATCommandLine.parse(_:)` reads the text of one line (the framer has already removed the
/// terminator); `formatted` writes it back in canonical form, which parses to the same value.
/// The parser checks syntax only; whether the command exists and its parameters fit is the
/// catalogue's job (``CommandCatalogue/validate(_:)``).
public struct ATCommandLine: Hashable, Sendable, CustomStringConvertible {
    public var command: ATCommand

    public init(_ command: ATCommand) {
        self.command = command
    }

    /// Shorthand for an extended command, e.g. `.extended("QLAREG", .execute)`.
    public static func extended(_ name: String, _ form: ATCommandForm) -> ATCommandLine {
        ATCommandLine(.extended(name: name.uppercased(), form: form))
    }

    /// The command word the catalogue is keyed by: `AT`, `ATI`, `ATE`, `AT+QLAREG`.
    public var commandWord: String {
        switch command {
        case .attention: "AT"
        case .basic(let name, _): "AT" + name
        case .extended(let name, _): "AT+" + name
        }
    }

    /// Which of the four forms the line uses (basic commands count as execute, or set when they
    /// carry a number, as in `ATE0`).
    public var formKind: ATFormKind {
        switch command {
        case .attention: .execute
        case .basic(_, let value): value == nil ? .execute : .set
        case .extended(_, let form): form.kind
        }
    }

    /// The parameters of a set form (the number of `ATE1`), empty otherwise.
    public var parameters: [ATValue] {
        switch command {
        case .attention: []
        case .basic(_, let value): value.map { [.integer(Int64($0))] } ?? []
        case .extended(_, .set(let values)): values
        case .extended: []
        }
    }

    /// Canonical text: `AT` in upper case, the name as stored, parameters formatted.
    public var formatted: String {
        switch command {
        case .attention: return "AT"
        case .basic(let name, let value): return "AT" + name + (value.map(String.init) ?? "")
        case .extended(let name, let form):
            switch form {
            case .test: return "AT+" + name + "=?"
            case .query: return "AT+" + name + "?"
            case .execute: return "AT+" + name
            case .set(let values): return "AT+" + name + "=" + values.map(\.formatted).joined(separator: ",")
            }
        }
    }

    public var description: String { formatted }
}

/// What a command line asks for.
public enum ATCommand: Hashable, Sendable {
    /// `AT` alone: the module answers `OK`.
    case attention
    /// A V.250 basic command: a letter (or `&` and a letter) and an optional number, e.g. `ATI`,
    /// `ATE0`. The name is stored in upper case.
    case basic(name: String, value: Int?)
    /// `AT+NAME` in one of the four forms. The name is stored in upper case, without the `+`,
    /// spelled as typed (so `QLASENDATA` and `QLASENDDATA` stay distinct).
    case extended(name: String, form: ATCommandForm)
}

/// The four forms of an extended command.
public enum ATCommandForm: Hashable, Sendable {
    /// `AT+X=?`: list the accepted values.
    case test
    /// `AT+X?`: report the current setting.
    case query
    /// `AT+X=p1,p2,...`. `AT+X=` carries one empty parameter.
    case set([ATValue])
    /// `AT+X`.
    case execute

    public var kind: ATFormKind {
        switch self {
        case .test: .test
        case .query: .query
        case .set: .set
        case .execute: .execute
        }
    }
}

/// The form of a command without its parameters.
public enum ATFormKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case test, query, set, execute

    public var description: String { rawValue }
}
