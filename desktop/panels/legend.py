"""The Legend panel: the legends of the visible layers in the working window, one section per layer
that can be folded, so that no legend covers the city in the 3D view.

It draws the very descriptions the picture's legend column draws
(:class:`viewer.legends.LegendContent`, from :meth:`viewer.scene_view.SceneView.visible_legends`):
classes as colour swatches with their labels, a ramp as a horizontal colour bar with its ticks, the
"no value" swatch, each under its title (quantity and unit). The audience screen and the exported
pictures keep drawing the legends on the picture (:mod:`desktop.controllers.legends`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.legends import RGB, LegendContent

#: swatch side and ramp bar height, pixels
SWATCH_PX = 12
RAMP_BAR_PX = 12
#: room kept between two tick labels under a ramp, pixels
TICK_GAP_PX = 6


def qcolor(rgb: RGB) -> QColor:
    return QColor.fromRgbF(rgb[0], rgb[1], rgb[2])


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to the width it is given (the whole text in
    its tool tip), so that a long class name never widens the panel."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(10, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        elided = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width())
        if elided != self.text():
            self.setText(elided)


class Swatch(QWidget):
    """A small square of one colour."""

    def __init__(self, rgb: RGB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = qcolor(rgb)
        self.setFixedSize(SWATCH_PX, SWATCH_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.color)
        painter.setPen(QColor(0, 0, 0, 60))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))


class Ramp(QWidget):
    """A colour ramp, low end on the left, with its tick labels under it (those that have room)."""

    def __init__(self, content: LegendContent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.ticks = [QLabel(label, self) for _, label in content.ticks]
        for tick in self.ticks:
            tick.adjustSize()
        tick_h = max((tick.sizeHint().height() for tick in self.ticks), default=0)
        self.setMinimumHeight(RAMP_BAR_PX + 2 + tick_h)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(160, self.minimumHeight())

    def _bar(self) -> QRect:
        half = self.ticks[0].width() // 2 if self.ticks else 0
        return QRect(min(half, 20), 0, max(self.width() - 2 * min(half, 20), 10), RAMP_BAR_PX)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        bar = self._bar()
        right_edge = -1e9
        last = len(self.ticks) - 1
        for i, ((fraction, _), tick) in enumerate(zip(self.content.ticks, self.ticks)):
            x = bar.left() + fraction * bar.width() - tick.width() / 2
            x = max(0.0, min(x, self.width() - tick.width()))
            # the last tick always, the others when they leave room before it and after the previous
            room_for_last = i == last or x + tick.width() + TICK_GAP_PX <= self._last_left(bar)
            shown = x >= right_edge + TICK_GAP_PX and room_for_last
            tick.setVisible(shown)
            tick.move(int(x), RAMP_BAR_PX + 2)
            if shown:
                right_edge = x + tick.width()

    def _last_left(self, bar: QRect) -> float:
        if not self.ticks:
            return 0.0
        fraction = self.content.ticks[-1][0]
        tick = self.ticks[-1]
        return max(
            0.0, min(bar.left() + fraction * bar.width() - tick.width() / 2, self.width() - tick.width())
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        bar = self._bar()
        gradient = QLinearGradient(bar.left(), 0, bar.right(), 0)
        steps = len(self.content.ramp)
        for i, rgb in enumerate(self.content.ramp):
            gradient.setColorAt((i + 0.5) / steps, qcolor(rgb))
        painter.fillRect(bar, gradient)
        painter.setPen(QColor(0, 0, 0, 60))
        painter.drawRect(bar.adjusted(0, 0, -1, -1))
        painter.setPen(QColor(0, 0, 0, 160))
        for fraction, _ in self.content.ticks:
            x = int(bar.left() + fraction * (bar.width() - 1))
            painter.drawLine(x, bar.bottom() - 3, x, bar.bottom())


class LegendBody(QWidget):
    """One legend: its title (quantity and unit) unless ``titled`` is off, then its classes or its
    ramp, then "no value"."""

    def __init__(self, content: LegendContent, parent: QWidget | None = None, *, titled: bool = True) -> None:
        super().__init__(parent)
        self.content = content
        layout = QGridLayout(self)
        layout.setContentsMargins(14, 0, 2, 4)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(2)
        layout.setColumnStretch(1, 1)
        row = 0
        if titled:  # (not when the section's header already says it)
            title = ElidedLabel(content.title, self)
            font = title.font()
            font.setItalic(True)
            title.setFont(font)
            layout.addWidget(title, row, 0, 1, 2)
            row += 1
        if content.categorical:
            for entry in content.entries:
                layout.addWidget(Swatch(entry.rgb, self), row, 0)
                layout.addWidget(ElidedLabel(entry.label, self), row, 1)
                row += 1
        else:
            self.ramp = Ramp(content, self)
            layout.addWidget(self.ramp, row, 0, 1, 2)
            row += 1
        if content.missing is not None:
            layout.addWidget(Swatch(content.missing.rgb, self), row, 0)
            layout.addWidget(ElidedLabel(content.missing.label, self), row, 1)

    def texts(self) -> list[str]:
        """Every text written in the body (whole, before any shortening)."""
        return [label.full_text for label in self.findChildren(ElidedLabel)] + [
            label.text() for label in self.findChildren(QLabel) if not isinstance(label, ElidedLabel)
        ]


class LegendSection(QWidget):
    """A layer's legends under a header with its name that folds and unfolds them."""

    def __init__(self, name: str, contents: list[LegendContent], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.header = QToolButton(self)
        self.header.setText(name)
        self.header.setToolTip(name)
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        layout.addWidget(self.header)
        self.bodies = [LegendBody(content, self, titled=content.title != name) for content in contents]
        for body in self.bodies:
            layout.addWidget(body)
        self.header.toggled.connect(self.set_expanded)
        self.set_expanded(True)

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        for body in self.bodies:
            body.setVisible(expanded)


class LegendPanel(QWidget):
    """The legends of the visible layers, one foldable section per layer (:meth:`set_legends`).

    A section the user folded stays folded while its layer keeps its name (the panel is filled
    again after every visibility or style change).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sections: list[LegendSection] = []
        self._folded: set[str] = set()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll_area)
        self.empty = QLabel(self.tr("The visible layers have no legend."), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.empty)
        self._container: QWidget | None = None
        self.set_legends([])

    def sizeHint(self) -> QSize:
        return QSize(220, 260)

    def set_legends(self, legends: list[tuple[str, list[LegendContent]]]) -> None:
        """Show ``legends``: (layer name, its legends) for each visible layer that has some."""
        for section in self.sections:
            if not section.expanded:
                self._folded.add(section.name)
            else:
                self._folded.discard(section.name)
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        self.sections = []
        for name, contents in legends:
            section = LegendSection(name, contents, container)
            section.set_expanded(name not in self._folded)
            layout.addWidget(section)
            self.sections.append(section)
        layout.addStretch(1)
        self.scroll_area.setWidget(container)  # the previous container is deleted with it
        self._container = container
        self.scroll_area.setVisible(bool(self.sections))
        self.empty.setVisible(not self.sections)

    def names(self) -> list[str]:
        """The layers whose legends are listed, in order."""
        return [section.name for section in self.sections]

    def texts(self) -> list[str]:
        """Every text listed (layer names, legend titles, classes, ticks), whole."""
        return [
            text
            for section in self.sections
            for text in [section.name, *(t for body in section.bodies for t in body.texts())]
        ]
