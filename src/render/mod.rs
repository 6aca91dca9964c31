//! Render: turns facts into what the site serves beside each report (charts, and more to come).

pub mod chart;
