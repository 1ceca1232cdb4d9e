/// What one Write-Attributes request says about each attribute: leave it, set it, or reset it.
/// Parsed from the Uri-Query options of the PUT (LwM2M 1.0 §5.4.4): `pmin=10` sets, a bare
/// `pmin` resets, an attribute not named is left as it was.
public struct NotificationAttributesUpdate: Hashable, Sendable {
    public enum Change<Value: Hashable & Sendable>: Hashable, Sendable {
        case unchanged
        case set(Value)
        case reset

        func apply(to field: inout Value?) {
            switch self {
            case .unchanged: break
            case .set(let v): field = v
            case .reset: field = nil
            }
        }
    }

    public var pmin: Change<UInt32> = .unchanged
    public var pmax: Change<UInt32> = .unchanged
    public var greaterThan: Change<Double> = .unchanged
    public var lessThan: Change<Double> = .unchanged
    public var step: Change<Double> = .unchanged

    public init() {}

    /// Why a Write-Attributes query is refused; the server gets 4.00 Bad Request.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownAttribute(String)
        case invalidValue(String)
        case repeated(String)
        case noAttributes

        public var description: String {
            switch self {
            case .unknownAttribute(let a): "unknown attribute '\(a)'"
            case .invalidValue(let q): "invalid value in '\(q)'"
            case .repeated(let a): "attribute '\(a)' given twice"
            case .noAttributes: "no attribute in the query"
            }
        }
    }

    /// Parses the Uri-Query strings of a Write-Attributes request.
    public init(query: [String]) throws(ParseError) {
        guard !query.isEmpty else { throw .noAttributes }
        var seen: Set<String> = []
        for item in query {
            let name: String
            let value: String?
            if let eq = item.firstIndex(of: "=") {
                name = String(item[..<eq])
                value = String(item[item.index(after: eq)...])
            } else {
                name = item
                value = nil
            }
            guard seen.insert(name).inserted else { throw .repeated(name) }
            switch name {
            case "pmin": pmin = try Self.period(value, item)
            case "pmax": pmax = try Self.period(value, item)
            case "gt": greaterThan = try Self.number(value, item)
            case "lt": lessThan = try Self.number(value, item)
            case "st": step = try Self.number(value, item, nonNegative: true)
            default: throw .unknownAttribute(name)
            }
        }
    }

    /// True when the update names gt, lt or st (only allowed on numeric resources).
    public var touchesValueConditions: Bool {
        greaterThan != .unchanged || lessThan != .unchanged || step != .unchanged
    }

    private static func period(_ text: String?, _ item: String) throws(ParseError) -> Change<UInt32> {
        guard let text else { return .reset }
        guard let v = UInt32(text) else { throw .invalidValue(item) }
        return .set(v)
    }

    private static func number(_ text: String?, _ item: String,
                               nonNegative: Bool = false) throws(ParseError) -> Change<Double> {
        guard let text else { return .reset }
        // Double("nan")/("inf") parse in Swift; a threshold must be a finite decimal.
        guard let v = Double(text), v.isFinite, text.allSatisfy({ "0123456789.-+eE".contains($0) }),
              !nonNegative || v >= 0 else { throw .invalidValue(item) }
        return .set(v)
    }
}
