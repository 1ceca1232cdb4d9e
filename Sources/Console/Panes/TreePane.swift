/// Draws the object tree: objects, instances and resources, each resource with its flags
/// (`obs` observed, `req` a request pending) and last value. Built-in objects with nothing
/// known under them share one line.
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
                    if let value = resource.lastValue { text += " = " + value.description }
                    out.append(Line(indent: 1, text: text, style: pending ? .pending : (resource.observed ? .urc : .normal)))
                }
            }
        }
        return out
    }

    static func draw(into grid: inout Grid, rect: Rect, model: SessionModel) {
        grid.frame(rect, title: "Objects")
        let area = rect.inner
        guard area.width > 4, area.height > 0 else { return }
        let all = lines(model)
        let room = area.height
        let shown = all.count > room ? Array(all.prefix(room - 1)) : all
        for (offset, line) in shown.enumerated() {
            grid.put(TextWrap.clipped(line.text, columns: area.width - line.indent), row: area.row + offset,
                     column: area.column + line.indent, style: line.style)
        }
        if all.count > room {
            grid.put("… \(all.count - shown.count) more", row: area.row + room - 1, column: area.column, style: .dim)
        }
    }
}
