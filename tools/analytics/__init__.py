"""Analytics integrations: conversion webhook formats, post-metrics platform clients, charts."""
