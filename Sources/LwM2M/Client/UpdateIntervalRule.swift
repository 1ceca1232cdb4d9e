/// When, after a Register or Update, the client sends its next Update: a function of the
/// lifetime. Pluggable because devices differ; `.bc260` is the module's own table.
public struct UpdateIntervalRule: Sendable {
    public let name: String
    private let delay: @Sendable (UInt32) -> Int64

    /// `delayMilliseconds(lifetime)` must return a delay under the lifetime (in milliseconds).
    public init(name: String, delayMilliseconds: @escaping @Sendable (UInt32) -> Int64) {
        self.name = name
        self.delay = delayMilliseconds
    }

    /// Milliseconds from a successful Register/Update to the next Update.
    public func delay(forLifetime lifetime: UInt32) -> Int64 { max(0, delay(lifetime)) }

    /// The BC260Y-CN application note's table (NOTES.md), computed in milliseconds so every
    /// piece is exact: L<=30: L/2; L<=50: 15+(L-30)*3/4; L<=100: 30+(L-50)*4/5;
    /// L<=300: 70+(L-100)*9/10; else 250+(L-300)*19/20. Lifetime 300 → 250 s exactly.
    public static let bc260 = UpdateIntervalRule(name: "bc260") { l in
        let L = Int64(l)
        switch L {
        case ...30: return L * 500
        case ...50: return 15_000 + (L - 30) * 750
        case ...100: return 30_000 + (L - 50) * 800
        case ...300: return 70_000 + (L - 100) * 900
        default: return 250_000 + (L - 300) * 950
        }
    }

    /// `numerator/denominator` of the lifetime, e.g. 9/10.
    public static func fraction(_ numerator: Int64, of denominator: Int64) -> UpdateIntervalRule {
        UpdateIntervalRule(name: "\(numerator)/\(denominator)") { Int64($0) * 1000 * numerator / max(1, denominator) }
    }

    /// `margin` seconds before the lifetime runs out (half the lifetime when it is shorter).
    public static func margin(seconds margin: UInt32) -> UpdateIntervalRule {
        UpdateIntervalRule(name: "lifetime-\(margin)s") { l in
            l > margin * 2 ? Int64(l - margin) * 1000 : Int64(l) * 500
        }
    }
}
