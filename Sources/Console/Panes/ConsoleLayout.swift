/// Where each pane goes for a terminal size: the log on the left, status over the object tree
/// on the right, the input line across the bottom above the help bar.
///
/// Contract: the rectangles never overlap and stay inside the screen; below
/// ``minimumWidth`` × ``minimumHeight`` the layout reports `tooSmall` and the screen says so.
public struct ConsoleLayout: Hashable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    public static let inputHeight = 5

    public let width: Int
    public let height: Int
    public let log: Rect
    public let status: Rect
    public let tree: Rect
    public let input: Rect
    public let helpRow: Int

    public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        helpRow = height - 1
        input = Rect(row: height - 1 - Self.inputHeight, column: 0, width: width, height: Self.inputHeight)
        let upper = max(0, input.row)
        let right = width >= 120 ? min(72, width * 2 / 5) : max(34, width * 2 / 5)
        log = Rect(row: 0, column: 0, width: width - right, height: upper)
        // The status pane wants 12 rows; the tree gets the rest, but at least 6 when it can.
        let statusHeight = min(12, max(upper - 6, upper / 2))
        status = Rect(row: 0, column: width - right, width: right, height: statusHeight)
        tree = Rect(row: statusHeight, column: width - right, width: right, height: upper - statusHeight)
    }
}
