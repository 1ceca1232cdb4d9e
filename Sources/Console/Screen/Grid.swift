/// A screen's worth of cells: what every pane draws into and what a driver puts on the
/// terminal. A test reads it back with ``text`` and ``style(row:column:)``.
///
/// Contract: writes never go outside the grid (they are clipped); a wide character takes two
/// cells, the second a continuation; one that would straddle the clip edge becomes a space;
/// control characters are shown as `·`. Nothing here traps on any text.
public struct Grid: Hashable, Sendable {
    public struct Cell: Hashable, Sendable {
        /// The character, or nil for the second half of a wide character.
        public var character: Character?
        public var style: CellStyle

        public static let blank = Cell(character: " ", style: .normal)
    }

    public let width: Int
    public let height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public func cell(row: Int, column: Int) -> Cell? {
        guard row >= 0, row < height, column >= 0, column < width else { return nil }
        return cells[row * width + column]
    }

    public func style(row: Int, column: Int) -> CellStyle? { cell(row: row, column: column)?.style }

    /// Writes `text` at (`row`, `column`) in `style`, using at most `limit` columns (and never past
    /// the right edge); returns the columns used.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, row: Int, column: Int, style: CellStyle = .normal,
                             limit: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let end = min(width, limit.map { column + max(0, $0) } ?? width)
        var x = column
        for character in text {
            let shown: Character = character.unicodeScalars.first.map { $0.value < 0x20 || $0.value == 0x7F } == true ? "·" : character
            let w = CharacterWidth.columns(shown)
            if w == 0 { continue }
            if x + w > end {
                if x < end, x >= 0 { set(row, x, Cell(character: " ", style: style)) }
                x = end
                break
            }
            if x >= 0 {
                set(row, x, Cell(character: shown, style: style))
                if w == 2, x + 1 < width { set(row, x + 1, Cell(character: nil, style: style)) }
            }
            x += w
        }
        return max(0, x - column)
    }

    /// Fills `count` cells from (`row`, `column`) with `character`.
    public mutating func fill(row: Int, column: Int, count: Int, character: Character = " ", style: CellStyle = .normal) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<max(max(0, column), min(width, column + count)) {
            set(row, x, Cell(character: character, style: style))
        }
    }

    /// A box-drawn frame with `title` in its top edge.
    public mutating func frame(_ rect: Rect, title: String? = nil, titleStyle: CellStyle = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.column + rect.width - 1
        let bottom = rect.row + rect.height - 1
        fill(row: rect.row, column: rect.column + 1, count: rect.width - 2, character: "─", style: .border)
        fill(row: bottom, column: rect.column + 1, count: rect.width - 2, character: "─", style: .border)
        for y in rect.row + 1..<bottom {
            put("│", row: y, column: rect.column, style: .border)
            put("│", row: y, column: right, style: .border)
        }
        put("┌", row: rect.row, column: rect.column, style: .border)
        put("┐", row: rect.row, column: right, style: .border)
        put("└", row: bottom, column: rect.column, style: .border)
        put("┘", row: bottom, column: right, style: .border)
        if let title, rect.width > 4 {
            put(" " + title + " ", row: rect.row, column: rect.column + 2, style: titleStyle, limit: rect.width - 4)
        }
    }

    /// Row `row` as text (wide characters once, no trailing spaces).
    public func rowText(_ row: Int) -> String {
        guard row >= 0, row < height else { return "" }
        var line = ""
        for x in 0..<width {
            if let c = cells[row * width + x].character { line.append(c) }
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The whole grid as text, one line per row.
    public var text: String { (0..<height).map(rowText).joined(separator: "\n") }

    /// Whether row `row` holds the same cells in both grids (grids of one size), so a driver
    /// can leave it as it is on the terminal.
    public func rowMatches(_ other: Grid, row: Int) -> Bool {
        guard width == other.width, height == other.height, row >= 0, row < height else { return false }
        let start = row * width
        return cells[start..<(start + width)] == other.cells[start..<(start + width)]
    }

    /// Runs of equal style in a row, for a driver: (column, text, style).
    public func runs(row: Int) -> [(column: Int, text: String, style: CellStyle)] {
        guard row >= 0, row < height else { return [] }
        var result: [(Int, String, CellStyle)] = []
        var start = 0
        var text = ""
        var style = cells[row * width].style
        for x in 0..<width {
            let cell = cells[row * width + x]
            if cell.style != style {
                result.append((start, text, style))
                start = x
                text = ""
                style = cell.style
            }
            if let c = cell.character { text.append(c) }
        }
        if width > 0 { result.append((start, text, style)) }
        return result
    }

    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        let index = row * width + column
        let old = cells[index]
        // Overwriting either half of a wide character blanks its other half.
        if cell.character != nil, old.character == nil, column > 0 {
            cells[index - 1] = Cell(character: " ", style: cells[index - 1].style)
        }
        if old.character.map(CharacterWidth.columns) == 2, column + 1 < width, cells[index + 1].character == nil,
           cell.character.map(CharacterWidth.columns) != 2 {
            cells[index + 1] = Cell(character: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The inside of a frame drawn on this rectangle.
    public var inner: Rect { Rect(row: row + 1, column: column + 1, width: width - 2, height: height - 2) }
}
