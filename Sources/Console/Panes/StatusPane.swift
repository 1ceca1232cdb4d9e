import ATProtocol
import CoAP

/// Draws the LwM2M status: the state in words, the server, endpoint, lifetime with the
/// countdown to the next automatic update, security (the PSK never shown), platform and
/// options, the last result code with its meaning, counters, and the link.
enum StatusPane {
    static func draw(into grid: inout Grid, rect: Rect, status: ClientStatus, now: Instant) {
        grid.frame(rect, title: "LwM2M status")
        let area = rect.inner
        guard area.width > 10 else { return }
        var row = area.row
        func line(_ label: String, _ value: String, _ style: CellStyle = .normal) {
            guard row < area.row + area.height else { return }
            grid.put(label, row: row, column: area.column, style: .dim, limit: 9)
            grid.put(TextWrap.clipped(value, columns: area.width - 9), row: row, column: area.column + 9, style: style)
            row += 1
        }
        let state: String
        let stateStyle: CellStyle
        if let s = status.lwm2m {
            state = "\(s.meaning) (\(s.rawValue))" + (status.asleep ? " · asleep" : "")
            stateStyle = s == .registered ? .good : (s == .invalid || s == .sessionNeedsRecovery ? .bad : .normal)
        } else {
            state = "unknown · AT+QLASTATUS?" + (status.asleep ? " · asleep" : "")
            stateStyle = .dim
        }
        line("Status", state, stateStyle)
        if let server = status.server {
            line("Server", "\(server.host):\(server.port)" + (server.bootstrap ? " (bootstrap)" : ""))
            line("Endpoint", server.endpoint)
            var lifetime = "\(server.lifetime) s"
            if let next = status.nextUpdateAt {
                lifetime += " · update in " + countdown(next - now)
            }
            line("Lifetime", lifetime)
            let security = server.securityMode == 0
                ? "PSK " + (server.pskIdentity.map { "\"\($0)\" " } ?? "") + PSKMask.mask
                : "none"
            let binding = server.binding.map { $0 == 1 ? "UQ" : "U" } ?? "?"
            line("Security", security + " · binding " + binding)
        } else {
            line("Server", "not configured · AT+QLACONFIG", .dim)
        }
        line("Platform", status.platformName ?? "? (AT+QLACFG?)", status.platformName == nil ? .dim : .normal)
        let retransmit = status.settings[QLACFGKey.retransmit.rawValue].map { v in
            "\(v.first?.formatted ?? "?") s × \(v.dropFirst().first?.formatted ?? "?")"
        } ?? "?"
        line("Options", "retrans \(retransmit) · auto_ack \(status.setting(.autoAck) ?? "?")")
        if let result = status.lastResult {
            line("Result", "\(result.code) \(result.meaning) (\(result.source))", result.code == 0 ? .good : .bad)
        } else {
            line("Result", "none yet", .dim)
        }
        let c = status.counters
        line("Lines", "cmd \(c.commandsSent) ok \(c.ok) err \(c.errors) urc \(c.urcs)")
        line("Uplink", "sent \(c.uplinks) acked \(c.acknowledged) t/o \(c.timeouts)", c.timeouts > 0 ? .bad : .normal)
        line("Link", status.link, status.link.contains("lost") || status.link.contains("waiting") ? .bad : .normal)
    }

    /// `4:10`, or `now` once due.
    static func countdown(_ milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "now" }
        let seconds = (milliseconds + 999) / 1000
        return "\(seconds / 60):" + LogPane.pad(seconds % 60, 2)
    }
}
