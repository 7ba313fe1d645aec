// Drag-to-zoom on a time chart. The user presses on the chart, drags across it and releases; a translucent band shows
// the selection meanwhile. On release the chart's .NET side gets both ends and the plot's left and right edges, all in
// client pixels, and maps them to times: the edges are those of the drawn lines, which run from the data's first time
// to its last. A press that moves fewer than minDrag pixels is a click and is left to the chart (tooltips, legend).
const minDrag = 4;

/** The left and right client x of the lines drawn in element's chart; null when none are. */
function plotOf(element) {
    let left = Infinity;
    let right = -Infinity;
    for (const path of element.querySelectorAll('.rz-line-series path')) {
        const box = path.getBBox();
        const matrix = path.getScreenCTM();
        if (!matrix) {
            continue;
        }
        const a = matrix.a * box.x + matrix.c * box.y + matrix.e;
        const b = matrix.a * (box.x + box.width) + matrix.c * box.y + matrix.e;
        left = Math.min(left, a, b);
        right = Math.max(right, a, b);
    }
    return right > left ? { left, right } : null;
}

export function attach(element, chart) {
    let drag = null;

    const clamp = (x) => Math.min(Math.max(x, drag.plot.left), drag.plot.right);

    const draw = (x) => {
        const origin = element.getBoundingClientRect().left;
        const from = Math.min(drag.start, x);
        drag.band.style.left = `${from - origin}px`;
        drag.band.style.width = `${Math.abs(x - drag.start)}px`;
    };

    const end = () => {
        drag?.band.remove();
        drag = null;
    };

    element.addEventListener('pointerdown', (e) => {
        if (e.button !== 0 || !e.isPrimary) {
            return;
        }
        const plot = plotOf(element);
        if (!plot || e.clientX < plot.left || e.clientX > plot.right) {
            return;
        }
        const band = document.createElement('div');
        band.className = 'zoom-selection';
        band.setAttribute('aria-hidden', 'true');
        element.appendChild(band);
        drag = { plot, band, start: e.clientX };
        draw(e.clientX);
        element.setPointerCapture(e.pointerId);
    });

    element.addEventListener('pointermove', (e) => {
        if (drag) {
            draw(clamp(e.clientX));
        }
    });

    element.addEventListener('pointerup', (e) => {
        if (!drag) {
            return;
        }
        const { start, plot } = drag;
        const x = clamp(e.clientX);
        end();
        if (Math.abs(x - start) >= minDrag) {
            chart.invokeMethodAsync('ZoomAsync', start, x, plot.left, plot.right);
        }
    });

    element.addEventListener('pointercancel', end);
}
