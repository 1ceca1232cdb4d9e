extension CommandSpec {
    /// Teaching help for the console: title, forms with their syntax and responses, every
    /// parameter with its range or values, default, unit and the note's term, then remarks.
    public var helpText: String {
        var out: [String] = []
        var title = name + " — " + summary
        if let chineseTitle { title += " (" + chineseTitle + ")" }
        out.append(title)
        if let section { out.append("Application note section \(section).") }
        if !aliases.isEmpty { out.append("Also spelled: " + aliases.joined(separator: ", ")) }
        if let maximumResponseSeconds { out.append("Maximum response time: \(maximumResponseSeconds) s") }
        for form in forms {
            out.append("  \(form.syntax)  — \(form.summary)")
            for response in form.responses { out.append("      → \(response)") }
        }
        let parameters = allParameters + responseFields
        if !parameters.isEmpty { out.append("Parameters:") }
        for parameter in parameters {
            var line = "  \(parameter.placeholder) \(parameter.meaning)"
            if let chinese = parameter.chineseTerm { line += " (" + chinese + ")" }
            line += ". " + Self.describe(parameter.type)
            if let unit = parameter.unit { line += ", unit \(unit)" }
            if let value = parameter.defaultValue { line += ", default \(value.formatted)" }
            out.append(line)
            for allowed in Self.allowedValues(parameter.type) {
                out.append("      \(allowed.value.formatted): \(allowed.meaning)" + (allowed.chineseTerm.map { " (\($0))" } ?? ""))
            }
        }
        for remark in remarks { out.append("Note: " + remark) }
        return out.joined(separator: "\n")
    }

    private static func describe(_ type: ParameterType) -> String {
        switch type {
        case .integer(let range): "Integer \(range.lowerBound)-\(range.upperBound)"
        case .choice: "Integer, one of"
        case .keyword: "Quoted keyword, one of"
        case .bareWord: "Bare word, one of"
        case .string(let maxLength): maxLength.map { "Quoted string, at most \($0) bytes" } ?? "Quoted string"
        case .resourceValue: "Shape set by <value_type> and <len>"
        }
    }

    private static func allowedValues(_ type: ParameterType) -> [AllowedValue] {
        switch type {
        case .choice(let values), .keyword(let values), .bareWord(let values): values
        default: []
        }
    }
}
