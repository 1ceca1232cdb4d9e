import ATProtocol

/// Tab completion of the word before the cursor: command names from the catalogue, and the
/// quoted keys of AT+QLACFG.
public enum Completion {
    public struct Result: Hashable, Sendable {
        /// Characters before the cursor to replace, and what to put there.
        public var replacedCount: Int
        public var replacement: String
        /// Every candidate, for showing when there is more than one.
        public var candidates: [String]
    }

    public static func complete(_ textBeforeCursor: String, catalogue: CommandCatalogue = .bc260y) -> Result? {
        let text = textBeforeCursor.trimmingSpaces
        if !text.contains("=") && !text.contains("?") {
            guard text.count >= 1 else { return nil }
            let names = catalogue.completions(for: text).flatMap { spec in
                ([spec.name] + spec.aliases).filter { $0.hasPrefix(text.uppercased()) }
            }
            return result(typed: text, candidates: names.sorted())
        }
        // AT+QLACFG="pl → "platform"
        let upper = text.uppercased()
        if upper.hasPrefix("AT+QLACFG=\""), !text.dropFirst(11).contains("\"") {
            let typed = String(text.dropFirst(10))
            let keys = QLACFGKey.allCases.map { "\"" + $0.rawValue + "\"" }.filter { $0.hasPrefix(typed.lowercased()) }
            return result(typed: typed, candidates: keys)
        }
        return nil
    }

    private static func result(typed: String, candidates: [String]) -> Result? {
        guard let first = candidates.first else { return nil }
        var common = first
        for candidate in candidates.dropFirst() {
            common = String(zip(common, candidate).prefix { $0 == $1 }.map(\.0))
        }
        return Result(replacedCount: typed.count, replacement: common.count >= typed.count ? common : typed, candidates: candidates)
    }
}
