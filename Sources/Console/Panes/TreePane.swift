import ATProtocol

/// Draws the object tree: objects, instances and resources, each resource with its flags
/// (`obs` observed, `req` a request pending) and last value with its AT `<value_type>`.
/// Built-in objects with nothing known under them share one line.
enum TreePane {
    struct Line: Hashable {
        var indent: Int
        var text: String
        var style: CellStyle
    }

    static func lines(_ model: SessionModel) -> [Line] {
        var out: [Line] = []
        let quiet = model.objects.objects.filter { $0.isBuiltIn && $0.instances.allSatisfy { $0.resources.isEmpty && !$0.observed } && !$0.observed }
        if !quiet.isEmpty {
            out.append(Line(indent: 0, text: "built-in " + quiet.map { "/\($0.id)" }.joined(separator: " "), style: .dim))
        }
        for object in model.objects.objects where !quiet.contains(object) {
            var head = "/\(object.id)"
            if let name = object.name { head += " " + name }
            if object.isBuiltIn { head += " (built-in)" }
            if object.observed { head += " obs" }
            out.append(Line(indent: 0, text: head, style: model.isPending(object.id, -1, -1) ? .pending : .title))
            for instance in object.instances {
                let pendingInstance = model.pending.contains { $0.objectID == object.id && $0.instanceID == instance.id && $0.resourceID < 0 }
                // An instance with resources shows through their paths; a bare one gets its own line.
                if instance.resources.isEmpty || instance.observed || pendingInstance {
                    out.append(Line(indent: 1, text: "/\(object.id)/\(instance.id)" + (instance.observed ? " obs" : "") + (pendingInstance ? " req" : ""),
                                    style: pendingInstance ? .pending : .normal))
                }
                for resource in instance.resources {
                    let pending = model.pending.contains { $0.objectID == object.id && $0.instanceID == instance.id && $0.resourceID == resource.id }
                    var text = "/\(object.id)/\(instance.id)/\(resource.id)"
                    if resource.observed { text += " obs" }
                    if pending { text += " req" }
                    if let value = resource.lastValue {
                        text += ATValueType(rawValue: value.valueType).map { " \($0)" } ?? ""
                        text += " = " + value.description
                    }
                    out.append(Line(indent: 1, text: text, style: pending ? .pending : (resource.observed ? .urc : .normal)))
                }
            }
        }
        return out
    }

    /// The first line with a pending request, which the default window keeps in view.
    static func firstPending(_ lines: [Line]) -> Int? { lines.firstIndex { $0.style == .pending } }

    static func draw(into grid: inout Grid, rect: Rect, model: SessionModel, view: TreeView = TreeView(), focused: Bool = false) {
        grid.frame(rect, title: focused ? "Objects · PgUp/PgDn · F8 log" : "Objects", titleStyle: focused ? .match : .title)
        let area = rect.inner
        guard area.width > 4, area.height > 0 else { return }
        let all = lines(model)
        let window = view.window(count: all.count, rows: area.height, reveal: firstPending(all))
        var row = area.row
        if window.above > 0, area.height >= 3 {
            grid.put("↑ \(window.above) above", row: row, column: area.column, style: .dim)
            row += 1
        }
        for line in all[window.lines] {
            grid.put(TextWrap.clipped(line.text, columns: area.width - line.indent), row: row, column: area.column + line.indent, style: line.style)
            row += 1
        }
        if window.below > 0, area.height >= 3 {
            grid.put("… \(window.below) more" + (focused ? "" : " (F8 scrolls)"), row: row, column: area.column, style: .dim)
        }
    }
}
