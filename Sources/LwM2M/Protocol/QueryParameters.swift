import CoAP

/// The Uri-Query items of a request (`ep=name`, `lt=300`, `Q`), looked up by name.
///
/// A request carries a handful of items and the registration interface asks for five names, so
/// a scan of the items beats building a dictionary for every Register. `query["lt"]` is nil when
/// the name is absent, `.some(nil)` for a bare name, `.some(value)` otherwise; the first of a
/// repeated name wins.
struct QueryParameters {
    private let items: [String]

    init(_ items: [String]) { self.items = items }

    subscript(name: String) -> String?? {
        let key = name.utf8
        for item in items {
            let bytes = item.utf8
            guard bytes.starts(with: key) else { continue }
            let rest = bytes.dropFirst(key.count)
            guard let first = rest.first else { return .some(nil) }
            if first == UInt8(ascii: "=") { return .some(String(Substring(rest.dropFirst()))) }
        }
        return nil
    }
}
