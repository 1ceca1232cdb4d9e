import LwM2M

extension PayloadRendering {
    /// The lines for a Send (`POST /dp`). Any JSON body is shown record by record, whatever
    /// format it claims: the Andlink module sends SenML-style records under 11543 (note 4.4.2,
    /// NOTES), so the claim is not trusted. A record's string value that is itself a JSON object
    /// (Andlink's `vs`) is opened one member a line beneath it. Otherwise the values the server
    /// decoded are shown, and failing that the bytes.
    public static func sendLines(_ content: EncodedContent, values: [ReportedValue]?) -> [String] {
        if let json = try? JSONValue.parse(content.bytes), let lines = recordLines(json) {
            return lines
        }
        if let values {
            return values.isEmpty ? ["(no values)"] : values.map { "\($0.path) = \(text($0.value))" }
        }
        return content.bytes.isEmpty ? ["(empty)"] : [hexAndText(content.bytes)]
    }

    /// SenML (`[{"bn":..,"n":..,"v"|"vs"|"vb"|"vd":..}]`) or LwM2M JSON
    /// (`{"bn":..,"e":[{"n":..,"v"|"sv"|"bv"|"ov":..}]}`) records; nil for other JSON.
    static func recordLines(_ json: JSONValue) -> [String]? {
        var base = ""
        let records: [JSONValue]
        if let array = json.arrayValue {
            records = array
        } else if let entries = json["e"]?.arrayValue {
            base = json["bn"]?.stringValue ?? ""
            records = entries
        } else {
            return nil
        }
        var lines: [String] = []
        for record in records {
            guard case .object = record else { return nil }
            if let bn = record["bn"]?.stringValue { base = bn }
            let name = base + (record["n"]?.stringValue ?? "")
            if let s = (record["vs"] ?? record["sv"])?.stringValue {
                lines.append("\(name) = \(quoted(s))")
                if let inner = try? JSONValue.parse(s), case .object(let members) = inner {
                    lines += members.map { "    \($0.key) = \($0.value.serialized)" }
                }
            } else if let n = record["v"]?.numberText {
                lines.append("\(name) = \(n)")
            } else if let b = (record["vb"] ?? record["bv"])?.boolValue {
                lines.append("\(name) = \(b)")
            } else if let d = record["vd"]?.stringValue, let bytes = Base64.decode(d) {
                lines.append("\(name) = \(hexAndText(bytes))")
            } else if let o = record["vlo"]?.stringValue ?? record["ov"]?.stringValue {
                lines.append("\(name) = \(o)")
            } else {
                lines.append("\(name) = \(record.serialized)")
            }
        }
        return lines
    }

    private static func quoted(_ s: String) -> String { "\"\(s)\"" }
}
