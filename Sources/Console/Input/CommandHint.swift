import ATProtocol

/// The live hint under the prompt, from the command catalogue: the syntax of the form being
/// typed with the current parameter marked, that parameter's meaning and range, and whether
/// the module would accept the line as it stands.
///
/// Contract: computed from the text and the cursor alone, for any text (half-typed quotes,
/// unknown commands); never throws.
public struct CommandHint: Hashable, Sendable {
    public enum Verdict: Hashable, Sendable {
        /// Nothing typed.
        case empty
        /// `CommandCatalogue.check` accepts the line.
        case accepted
        /// The catalogue rejects it: the reason. `missingParameters` is true when only
        /// parameters are missing (the person is still typing).
        case rejected(String, missingParameters: Bool)
    }

    public let spec: CommandSpec?
    /// The syntax line shown, and the character range of the current parameter in it.
    public let syntax: String?
    public let highlight: Range<Int>?
    /// The parameter under the cursor, and its 0-based position.
    public let parameter: ParameterSpec?
    public let parameterIndex: Int?
    public let verdict: Verdict

    public init(line: String, cursor: Int, catalogue: CommandCatalogue = .bc260y) {
        let trimmed = line.trimmingSpaces
        guard !trimmed.isEmpty else {
            self.init(spec: nil, syntax: nil, highlight: nil, parameter: nil, parameterIndex: nil, verdict: .empty)
            return
        }
        let verdict: Verdict = switch catalogue.check(trimmed) {
        case .success: .accepted
        case .failure(let rejection):
            if case .invalid(let error) = rejection, case .missingParameter = error.reason {
                .rejected(rejection.description, missingParameters: true)
            } else {
                .rejected(rejection.description, missingParameters: false)
            }
        }
        let chars = Array(line)
        let before = String(chars[..<min(max(0, cursor), chars.count)])
        let word = Self.commandWord(of: line)
        guard let spec = catalogue.command(named: word) else {
            self.init(spec: nil, syntax: nil, highlight: nil, parameter: nil, parameterIndex: nil, verdict: verdict)
            return
        }
        let kind = Self.formKind(of: line, word: word)
        let form = spec.form(kind) ?? spec.forms.first
        guard let form else {
            self.init(spec: spec, syntax: nil, highlight: nil, parameter: nil, parameterIndex: nil, verdict: verdict)
            return
        }
        var parameter: ParameterSpec?
        var index: Int?
        var syntax = form.syntax
        var highlight: Range<Int>?
        if kind == .set, let equals = before.firstIndex(of: "=") {
            let typed = before[before.index(after: equals)...]
            let position = Self.fieldIndex(in: typed)
            let parameters = Self.flatten(form.parameters, values: Self.values(of: line))
            if position < parameters.count {
                let p = parameters[position]
                parameter = p
                index = position
                if let range = syntax.range(of: p.placeholder) {
                    highlight = syntax.distance(from: syntax.startIndex, to: range.lowerBound)
                        ..< syntax.distance(from: syntax.startIndex, to: range.upperBound)
                } else {
                    // A syntax written in short (`AT+QLACFG="<key>"[,<values>...]`): spell this branch out.
                    syntax = spec.name + "=" + parameters.map(\.placeholder).joined(separator: ",")
                    let start = spec.name.count + 1 + parameters[..<position].reduce(0) { $0 + $1.placeholder.count + 1 }
                    highlight = start..<(start + p.placeholder.count)
                }
            }
        }
        self.init(spec: spec, syntax: syntax, highlight: highlight, parameter: parameter, parameterIndex: index, verdict: verdict)
    }

    init(spec: CommandSpec?, syntax: String?, highlight: Range<Int>?, parameter: ParameterSpec?, parameterIndex: Int?, verdict: Verdict) {
        self.spec = spec
        self.syntax = syntax
        self.highlight = highlight
        self.parameter = parameter
        self.parameterIndex = parameterIndex
        self.verdict = verdict
    }

    /// One line on the current parameter: `<port> port of the LwM2M server (…) · 0-65535`.
    public var parameterText: String? {
        guard let p = parameter else { return nil }
        var text = p.placeholder + " " + p.meaning
        if let chinese = p.chineseTerm { text += " (" + chinese + ")" }
        text += " · " + Self.range(of: p.type)
        if let unit = p.unit { text += " " + unit }
        if let value = p.defaultValue { text += ", default " + value.formatted }
        return text
    }

    // MARK: Reading the half-typed line

    /// `AT+QLAREG` from `at+qlareg?`, `AT+QLACFG` from `AT+QLACFG="plat`.
    static func commandWord(of line: String) -> String {
        let t = line.trimmingSpaces
        var word = ""
        for c in t {
            if c == "=" || c == "?" || c == " " { break }
            word.append(c)
        }
        return word.uppercased()
    }

    static func formKind(of line: String, word: String) -> ATFormKind {
        let rest = line.trimmingSpaces.dropFirst(word.count)
        if rest.hasPrefix("=?") { return .test }
        if rest.hasPrefix("?") { return .query }
        if rest.hasPrefix("=") { return .set }
        return .execute
    }

    /// Which parameter (0-based) the end of `typed` is in: commas outside quotes.
    static func fieldIndex(in typed: Substring) -> Int {
        var index = 0
        var quoted = false
        for c in typed {
            if c == "\"" { quoted.toggle() } else if c == ",", !quoted { index += 1 }
        }
        return index
    }

    /// The parameters typed so far: the parser's, or for a half-typed line a lenient split
    /// (good enough to choose a depending branch, nothing more).
    static func values(of line: String) -> [ATValue] {
        if let parsed = try? ATCommandLine.parse(line) { return parsed.parameters }
        guard let equals = line.firstIndex(of: "=") else { return [] }
        var fields: [ATValue] = []
        var current = ""
        var quoted = false
        func close() {
            let t = current.trimmingSpaces
            if t.hasPrefix("\"") {
                fields.append(.string(String(t.dropFirst().prefix { $0 != "\"" })))
            } else if let n = Int64(t) {
                fields.append(.integer(n))
            } else {
                fields.append(t.isEmpty ? .empty : .token(t))
            }
            current = ""
        }
        for c in line[line.index(after: equals)...] {
            if c == "\"" { quoted.toggle() }
            if c == ",", !quoted { close() } else { current.append(c) }
        }
        close()
        return fields
    }

    /// The parameters in order for these values: optional groups included, repeated ones up to
    /// their maximum, a depending branch chosen by the value already typed.
    static func flatten(_ items: [ParameterSyntax], values: [ATValue]) -> [ParameterSpec] {
        var out: [ParameterSpec] = []
        func walk(_ items: [ParameterSyntax]) {
            for item in items {
                switch item {
                case .required(let spec): out.append(spec)
                case .optional(let inner): walk(inner)
                case .repeated(let spec, _, let maximum): out += Array(repeating: spec, count: maximum)
                case .depending(let name, let cases, let otherwise):
                    let chosen = out.firstIndex { $0.name == name }.flatMap { $0 < values.count ? values[$0] : nil }
                    let normalized: ATValue? = chosen.map { v in
                        if case .string(let s) = v { return .string(s.lowercased()) }
                        return v
                    }
                    if let normalized, let branch = cases.first(where: { $0.values.contains(normalized) }) {
                        walk(branch.syntax)
                    } else {
                        walk(otherwise)
                    }
                }
            }
        }
        walk(items)
        return out
    }

    static func range(of type: ParameterType) -> String {
        switch type {
        case .integer(let r): "integer \(r.lowerBound)-\(r.upperBound)"
        case .choice(let values), .keyword(let values), .bareWord(let values):
            values.map { "\($0.value.formatted) \($0.meaning)" }.joined(separator: " | ")
        case .string(let maximum): maximum.map { "quoted string, at most \($0) bytes" } ?? "quoted string"
        case .resourceValue: "shape set by <value_type> and <len>"
        }
    }
}
