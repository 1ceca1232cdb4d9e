/// One line typed at the standalone platform's prompt, parsed. The line interface is the
/// platform's whole UI, so parsing is strict and every mistake gets a message saying why.
public enum PlatformCommand: Hashable, Sendable {
    case list
    case read(endpoint: String, path: String)
    case write(endpoint: String, path: String, value: String)
    case exec(endpoint: String, path: String, arguments: String?)
    case observe(endpoint: String, path: String)
    case cancel(endpoint: String, path: String)
    case discover(endpoint: String, path: String)
    case attributes(endpoint: String, path: String, attributes: [AttributeSetting])
    case help
    case quit

    /// `pmin=10` sets, a bare `pmin` clears (LwM2M 1.0 §5.1.2).
    public struct AttributeSetting: Hashable, Sendable {
        public var name: String
        public var value: String?
    }

    /// The help text, one command a line.
    public static let usage = """
        list                          registered clients (endpoint, address, lifetime, objects)
        read EP PATH                  read a resource, instance or object (TLV shown as path = value)
        write EP PATH VALUE           write a value (text; 0x.. for opaque bytes)
        exec EP PATH [ARGS]           execute a resource
        observe EP PATH               observe; notifications are printed as they arrive
        cancel EP PATH                cancel an observation
        discover EP PATH              list resources and their attributes
        attr EP PATH pmin=N pmax=N    write attributes (pmin pmax gt lt st; a bare name clears it)
        help                          this text
        quit                          stop the platform
        EP is an endpoint name or its number in `list`; PATH is like /3/0/13.
        """

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case unknownCommand(String)
        case missing(command: String, what: String)
        case badPath(String)
        case badAttribute(String)
        case extra(command: String, text: String)

        public var description: String {
            switch self {
            case .empty: "empty line"
            case .unknownCommand(let c): "unknown command '\(c)' (type help)"
            case .missing(let c, let w): "\(c): missing \(w)"
            case .badPath(let p): "'\(p)' is not an LwM2M path like /3/0/13"
            case .badAttribute(let a): "'\(a)' is not an attribute (pmin, pmax, gt, lt, st)"
            case .extra(let c, let t): "\(c): unexpected '\(t)'"
            }
        }
    }

    public init(parsing line: String) throws(ParseError) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first?.lowercased() else { throw .empty }
        func arg(_ i: Int, _ what: String) throws(ParseError) -> String {
            guard i < words.count else { throw .missing(command: verb, what: what) }
            return words[i]
        }
        func path(_ i: Int) throws(ParseError) -> String {
            let p = try arg(i, "PATH")
            guard PlatformCommand.isPath(p) else { throw .badPath(p) }
            return p
        }
        func noMore(_ n: Int) throws(ParseError) {
            if words.count > n { throw .extra(command: verb, text: words[n...].joined(separator: " ")) }
        }
        switch verb {
        case "list", "ls":
            try noMore(1)
            self = .list
        case "help", "?":
            self = .help
        case "quit", "exit":
            self = .quit
        case "read", "discover", "observe", "cancel":
            let ep = try arg(1, "EP"), p = try path(2)
            try noMore(3)
            switch verb {
            case "read": self = .read(endpoint: ep, path: p)
            case "discover": self = .discover(endpoint: ep, path: p)
            case "observe": self = .observe(endpoint: ep, path: p)
            default: self = .cancel(endpoint: ep, path: p)
            }
        case "write":
            let ep = try arg(1, "EP"), p = try path(2)
            _ = try arg(3, "VALUE")
            // The value is the rest of the line as typed, spaces included.
            self = .write(endpoint: ep, path: p, value: PlatformCommand.rest(of: line, after: 3))
        case "exec":
            let ep = try arg(1, "EP"), p = try path(2)
            self = .exec(endpoint: ep, path: p, arguments: words.count > 3 ? PlatformCommand.rest(of: line, after: 3) : nil)
        case "attr":
            let ep = try arg(1, "EP"), p = try path(2)
            guard words.count > 3 else { throw .missing(command: verb, what: "attributes such as pmin=10") }
            var attrs: [AttributeSetting] = []
            for w in words[3...] {
                let parts = w.split(separator: "=", maxSplits: 1).map(String.init)
                let name = parts[0]
                guard ["pmin", "pmax", "gt", "lt", "st"].contains(name) else { throw .badAttribute(w) }
                if parts.count == 2 {
                    guard Double(parts[1]) != nil else { throw .badAttribute(w) }
                    attrs.append(AttributeSetting(name: name, value: parts[1]))
                } else {
                    attrs.append(AttributeSetting(name: name, value: nil))
                }
            }
            self = .attributes(endpoint: ep, path: p, attributes: attrs)
        default:
            throw .unknownCommand(verb)
        }
    }

    /// `/3`, `/3/0`, `/3/0/13`, `/3/0/6/1`: up to four 16-bit ids.
    static func isPath(_ p: String) -> Bool {
        guard p.hasPrefix("/") else { return false }
        let ids = p.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if ids.count == 1 && ids[0].isEmpty { return true }
        return (1...4).contains(ids.count) && ids.allSatisfy { UInt16($0) != nil }
    }

    /// The text of `line` from its `n`-th word on, original spacing kept.
    static func rest(of line: String, after n: Int) -> String {
        var s = Substring(line)
        for _ in 0..<n {
            s = s.drop(while: { $0 == " " || $0 == "\t" })
            s = s.drop(while: { $0 != " " && $0 != "\t" })
        }
        return String(s.drop(while: { $0 == " " || $0 == "\t" }))
    }
}
