import ATProtocol

/// Keeps the pre-shared key out of every pane: NOTES.md asks that the PSK never be shown in clear.
enum PSKMask {
    static let mask = "********"

    /// A sent `AT+QLACONFIG=...,0,"id","key"...` with the key masked; other lines unchanged.
    static func masked(command text: String) -> String {
        guard let line = try? ATCommandLine.parse(text), case .extended("QLACONFIG", .set(var values)) = line.command,
              values.count >= 8, values[5] == .integer(0), values[7] != .empty else { return text }
        values[7] = .string(mask)
        return ATCommandLine(.extended(name: "QLACONFIG", form: .set(values))).formatted
    }

    /// A `+QLACONFIG:` answer with the key masked; nil when there is nothing to mask.
    static func masked(information line: ATResponseLine) -> String? {
        guard case .information("QLACONFIG", var values) = line, values.count >= 8, values[5] == .integer(0) else { return nil }
        values[7] = .string(mask)
        return ATResponseLine.information(name: "QLACONFIG", values: values).text
    }
}
