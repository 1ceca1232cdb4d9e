/// One link of a CoRE link-format document (RFC 6690): `</3/0>;ver=1.1;rt="oma.lwm2m"`.
public struct Link: Hashable, Sendable, CustomStringConvertible {
    /// An attribute of a link, `name`, `name=token` or `name="quoted"`.
    public struct Attribute: Hashable, Sendable, CustomStringConvertible {
        public var name: String
        /// Nil for a bare attribute (`;obs`).
        public var value: String?
        /// Whether the value is written between double quotes.
        public var quoted: Bool

        public init(_ name: String, _ value: String? = nil, quoted: Bool = false) {
            self.name = name
            self.value = value
            self.quoted = quoted
        }

        public static func quoted(_ name: String, _ value: String) -> Attribute { Attribute(name, value, quoted: true) }

        public var description: String {
            guard let value else { return name }
            if quoted {
                var escaped = ""
                for c in value.unicodeScalars {
                    if c == "\\" || c == "\"" { escaped.unicodeScalars.append("\\") }
                    escaped.unicodeScalars.append(c)
                }
                return "\(name)=\"\(escaped)\""
            }
            return "\(name)=\(value)"
        }
    }

    /// The URI between angle brackets, e.g. `/3/0`.
    public var target: String
    public var attributes: [Attribute]

    public init(_ target: String, attributes: [Attribute] = []) {
        self.target = target
        self.attributes = attributes
    }

    public init(_ path: LwM2MPath, attributes: [Attribute] = []) {
        self.init(path.description, attributes: attributes)
    }

    /// The target read as an LwM2M path (nil when it is not one, e.g. `/rd` or with a prefix).
    public var path: LwM2MPath? { LwM2MPath(target) }

    /// The value of the first attribute with this name (nil when absent or bare).
    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    public func has(attribute name: String) -> Bool { attributes.contains { $0.name == name } }

    public var description: String {
        (["<\(target)>"] + attributes.map(\.description)).joined(separator: ";")
    }
}
