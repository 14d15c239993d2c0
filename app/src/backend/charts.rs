//! The sales charts, drawn on the server as SVG by `plotters`: a y axis of
//! whole tickets, the periods along the x axis, each bar's figure above it
//! (when there is room) and in its tooltip.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::SalesPoint;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 260;
/// Fewer periods than this still get bars of a sensible width.
const MIN_SLOTS: usize = 7;
/// At most this many labels along the x axis (60 days would overlap).
const MAX_X_LABELS: usize = 12;
/// The bars' colour (Tailwind's indigo-600), also how their tooltips find them.
const BAR: RGBColor = RGBColor(0x4f, 0x46, 0xe5);

/// The chart of `points` as an SVG document (`None` when plotters refuses,
/// which the page shows as a missing chart above the table of numbers).
pub fn bar_chart(points: &[SalesPoint], x_desc: &str) -> Option<String> {
    let mut svg = String::new();
    draw(&mut svg, points, x_desc)
        .inspect_err(|err| tracing::warn!(error = %err, "sales chart not drawn"))
        .ok()?;
    Some(with_tooltips(&svg, points))
}

fn draw(
    svg: &mut String,
    points: &[SalesPoint],
    x_desc: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let slots = points.len().max(MIN_SLOTS) as u32;
    let most = points.iter().map(|p| p.tickets).max().unwrap_or(0).max(1);
    // Headroom above the tallest bar for its figure.
    let top = most + (most / 8).max(1);
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(48)
        .build_cartesian_2d((0u32..slots).into_segmented(), 0i64..top)?;
    let label_of = |value: &SegmentValue<u32>| match value {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => points
            .get(*i as usize)
            .map(|p| p.label.clone())
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    let axis = ("sans-serif", 13)
        .into_font()
        .color(&RGBColor(0x47, 0x55, 0x69));
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(RGBColor(0xe2, 0xe8, 0xf0))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(0x94, 0xa3, 0xb8))
        .x_labels(points.len().clamp(1, MAX_X_LABELS))
        .x_label_formatter(&label_of)
        .y_labels(6)
        .y_label_formatter(&|v: &i64| v.to_string())
        .label_style(axis.clone())
        .x_desc(x_desc)
        .y_desc("Tickets")
        .axis_desc_style(axis)
        .draw()?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(BAR.filled())
            .margin(4)
            .data(
                points
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.tickets > 0)
                    .map(|(i, p)| (i as u32, p.tickets)),
            ),
    )?;
    if points.len() <= 31 {
        let figure = ("sans-serif", 12)
            .into_font()
            .color(&RGBColor(0x1e, 0x29, 0x3b))
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(
            points
                .iter()
                .enumerate()
                .filter(|(_, p)| p.tickets > 0)
                .map(|(i, p)| {
                    Text::new(
                        p.tickets.to_string(),
                        (SegmentValue::CenterOf(i as u32), p.tickets),
                        figure.clone(),
                    )
                }),
        )?;
    }
    root.present()?;
    Ok(())
}

/// Gives each bar (drawn in order, one per period that sold) a tooltip with
/// its period, tickets and revenue: plotters draws no titles itself.
fn with_tooltips(svg: &str, points: &[SalesPoint]) -> String {
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", BAR.0, BAR.1, BAR.2);
    let mut sold = points.iter().filter(|p| p.tickets > 0);
    let mut out = String::with_capacity(svg.len() + points.len() * 64);
    let mut rest = svg;
    while let Some(start) = rest.find("<rect") {
        let Some(len) = rest[start..].find("/>") else {
            break;
        };
        let rect = &rest[start..start + len];
        out.push_str(&rest[..start]);
        match rect.contains(&fill).then(|| sold.next()).flatten() {
            Some(point) => {
                out.push_str(rect);
                out.push_str(&format!(
                    "><title>{}: {}, {}</title></rect>",
                    html_escape::encode_text(&point.label),
                    crate::model::words::count(point.tickets, "ticket", "tickets"),
                    point.revenue
                ));
            }
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;

    /// What the chart writes: each `<text>`'s content, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
            .filter_map(|rest| {
                rest.split_once("</text>")
                    .map(|(text, _)| text.trim().to_string())
            })
            .collect()
    }

    fn points(tickets: &[i64]) -> Vec<SalesPoint> {
        tickets
            .iter()
            .enumerate()
            .map(|(i, &n)| SalesPoint {
                label: format!("{} Dec", i + 1),
                tickets: n,
                revenue: Currency::from_stored("EUR".into()).amount(n * 2500),
            })
            .collect()
    }

    #[test]
    fn one_day_has_axes_a_label_a_figure_and_a_bar_of_sensible_width() {
        let svg = bar_chart(&points(&[12]), "Day").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        let texts = texts(&svg);
        for text in ["Tickets", "Day", "1 Dec", "0", "12"] {
            assert!(texts.iter().any(|t| t == text), "{text} in {texts:?}");
        }
        assert!(
            svg.contains("<title>1 Dec: 12 tickets, €300.00</title>"),
            "{svg}"
        );
        // One bar, no wider than a seventh of the plot.
        let bar = svg.split("<rect").find(|r| r.contains("#4F46E5")).unwrap();
        let width: f64 = bar
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(width < f64::from(WIDTH) / 7.0, "{width}");
    }

    #[test]
    fn sixty_days_label_a_dozen_and_give_every_selling_day_a_tooltip() {
        let tickets: Vec<i64> = (0..60).map(|i| i % 3).collect();
        let svg = bar_chart(&points(&tickets), "Day").unwrap();
        let titles = svg.matches("<title>").count();
        assert_eq!(titles, tickets.iter().filter(|&&n| n > 0).count());
        let labels = texts(&svg).iter().filter(|t| t.ends_with(" Dec")).count();
        assert!((2..=MAX_X_LABELS).contains(&labels), "{labels} labels");
    }

    #[test]
    fn nothing_sold_still_draws_the_axes() {
        let svg = bar_chart(&points(&[0, 0, 0]), "Hour").unwrap();
        assert!(texts(&svg).iter().any(|t| t == "Tickets"), "{svg}");
        assert!(!svg.contains("<title>"));
    }
}
